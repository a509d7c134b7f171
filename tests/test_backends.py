"""SQLite and PostgreSQL give the same answers: the demo corpus ingested into each, every query compared.

The store, API and CLI query tests also run on both backends (``demo_db``, ``any_web_db``); this module
holds them to identical results and covers what only PostgreSQL can get wrong: its full-text index, a
password in the URL, and concurrent ingests into one fresh database.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api.app import create_app
from detente.api.context import Settings
from detente.cli import cli
from detente.store.db import Store, db_url, shown_url

from .pg import new_database
from .test_query_path import CASES, ingest_demo

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, postgres: str) -> dict[str, str]:
    """The demo corpus in a SQLite file and in a PostgreSQL database."""
    dbs = {"sqlite": str(tmp_path_factory.mktemp("both") / "demo.db"), "postgresql": new_database(postgres)}
    for db in dbs.values():
        ingest_demo(db)
    return dbs


@pytest.fixture(scope="module")
def clients(both: dict[str, str]) -> Iterator[dict[str, TestClient]]:
    with TestClient(create_app(Settings(db=both["sqlite"]))) as a, \
            TestClient(create_app(Settings(db=both["postgresql"]))) as b:
        yield {"sqlite": a, "postgresql": b}


def _cli(db: str, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", db, *args])
    assert res.exit_code == 0, res.output
    return res.stdout


def _same(answers: dict[str, Any]) -> Any:
    assert answers["sqlite"] == answers["postgresql"]
    return answers["sqlite"]


@pytest.mark.parametrize(("args", "params", "nonempty"), CASES)
def test_events_are_identical(both: dict[str, str], clients: dict[str, TestClient], args: list[str],
                              params: dict[str, str], nonempty: bool) -> None:
    cli_rows = _same({k: _cli(db, "events", "--format", "jsonl", "--limit", "1000", *args) for k, db in both.items()})
    api = _same({k: c.get("/api/events", params={"limit": "1000", **params}).json() for k, c in clients.items()})
    assert (bool(api["events"]) and bool(cli_rows.strip())) or not nonempty
    _same({k: c.get("/api/events", params={"limit": "7", **params, "format": "csv"}).text for k, c in clients.items()})


@pytest.mark.parametrize("path", [
    "/api/health", "/api/stats/timeline", "/api/stats/timeline?interval=week&country=KAZ", "/api/stats/network",
    "/api/stats/network?actor=person:tokayev", "/api/stats/places", "/api/stats/places?lang=kk",
    "/api/actors/person:tokayev", "/api/actors?q=зеленск",
    "/api/stories", "/api/stories?country=UKR", "/api/events?mentions=true&limit=1000",
    "/api/events?sort=-goldstein&limit=1000", "/api/events?actor=токаев&limit=1000",
])
def test_api_answers_are_identical(clients: dict[str, TestClient], path: str) -> None:
    answers = {k: c.get(path) for k, c in clients.items()}
    assert all(r.status_code == 200 for r in answers.values()), {k: r.text for k, r in answers.items()}
    _same({k: r.json() for k, r in answers.items()})


def test_story_pages_and_articles_are_identical(clients: dict[str, TestClient], both: dict[str, str]) -> None:
    stories = _same({k: c.get("/api/stories?limit=500").json() for k, c in clients.items()})["stories"]
    assert stories
    for s in stories[:10]:
        _same({k: c.get(f"/api/stories/{s['story']}").json() for k, c in clients.items()})
    for name in ("000_e5002aae462662f6.txt", "uk_01.txt"):
        _same({k: _cli(db, "show", name) for k, db in both.items()})
    _same({k: _cli(db, "stories") for k, db in both.items()})


@pytest.mark.parametrize("query", ["мир", "переговоры", "Токаев", "Zelensky", "телефонный разговор", "50%", "%", "_",
                                   "а_б", "Касым-Жомарт"])
def test_full_text_search_finds_the_same_articles(clients: dict[str, TestClient], query: str) -> None:
    """Ranks differ in detail (bm25 against ts_rank), the articles found do not; ``%`` and ``_`` are no wildcards."""
    found = {k: c.get("/api/search", params={"q": query, "limit": 100}).json() for k, c in clients.items()}
    ids = _same({k: sorted(a["id"] for a in f["articles"]) for k, f in found.items()})
    if query in ("%", "_", "а_б"):
        assert ids == []
    events = {k: c.get("/api/events", params={"q": query, "limit": 1000}).json()["events"] for k, c in clients.items()}
    _same({k: [e["event_id"] for e in ev] for k, ev in events.items()})


def test_a_word_matches_as_a_word_not_inside_others(clients: dict[str, TestClient], both: dict[str, str]) -> None:
    """The old PostgreSQL fallback matched "мир" inside "мировой" and "Владимир": 23 articles against 5."""
    from sqlalchemy import select

    from detente.store import schema as S

    found = clients["postgresql"].get("/api/search", params={"q": "мир", "limit": 100}).json()["articles"]
    assert 0 < len(found) <= 6
    a = S.articles.c
    with Store(both["postgresql"]).engine.connect() as conn:
        rows = conn.execute(select(a.text, a.lemmas).where(a.id.in_([h["id"] for h in found]))).all()
    for body, lemmas in rows:  # each holds the word (in its text or its lemmas), not a longer word with it inside
        assert "мир" in re.findall(r"\w+", f"{body} {lemmas}".lower())


def test_a_password_in_the_url_is_never_printed(postgres: str) -> None:
    url = postgres.replace("detente@", "detente:hunter2@") + "/nosuchdb"
    assert "hunter2" not in shown_url(db_url(url)) and "***" in shown_url(db_url(url))
    res = CliRunner().invoke(cli, ["--db", url, "events"])
    assert res.exit_code != 0 and "hunter2" not in res.output and "nosuchdb" in res.output, res.output
    assert db_url("postgresql://u@h/d") == db_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"


def test_concurrent_ingests_into_a_fresh_postgres_database_store_each_article_once(postgres: str) -> None:
    samples = sorted((ROOT / "samples").glob("*.txt"))
    for _ in range(2):  # two fresh databases: the race on creating the schema is a matter of milliseconds
        db = new_database(postgres)
        cmd = [sys.executable, "-m", "detente", "--db", db, "ingest"]
        procs = [subprocess.Popen([*cmd, *map(str, part)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for part in (samples, samples[10:])]
        outputs = [p.communicate(timeout=300)[0] for p in procs]
        assert all(p.returncode == 0 for p in procs), outputs
        assert not any("Traceback" in o for o in outputs), outputs
        stored = sum(int(re.search(r"stored: (\d+)", o).group(1)) for o in outputs)  # type: ignore[union-attr]
        counts = Store(db).counts()
        assert counts["articles"] == len(samples) == stored, outputs
        stories = json.loads("[" + ",".join(_cli(db, "stories", "--limit", "1000").splitlines()) + "]")
        assert sum(s["articles"] for s in stories) == len(samples)  # every article placed once

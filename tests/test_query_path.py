"""One query path: ``detente events`` and ``/api/events`` give the same events in the same order; forged
input to the query path (NUL in ``q``, forged cursors) is a 422 naming the field; empty results say so."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from rich.console import Console

from detente.api.app import create_app
from detente.api.context import Settings
from detente.cli import cli
from detente.cli.tables import events_table
from detente.query import EventFilter, QueryError, decode_cursor, encode_cursor
from detente.records import EventRecord

from .conftest import ROOT, SEEDS


def ingest_demo(db: str) -> None:
    """Ingest the demo corpus (samples/*.txt and the seeds, as `make demo` does) into ``db``."""
    paths = [str(p) for p in sorted((ROOT / "samples").glob("*.txt"))] + [str(SEEDS)]
    res = CliRunner().invoke(cli, ["ingest", *paths, "--db", db])  # --db after the subcommand
    assert res.exit_code == 0, res.output


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo corpus stored once per module and backend: every test that takes it runs on SQLite and on
    PostgreSQL."""
    from .pg import new_database

    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("query") / "demo.db")
    else:
        db = new_database(request.getfixturevalue("postgres"))
    ingest_demo(db)
    return db


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=demo_db, token=None, private=False))) as c:
        yield c


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def cli_ids(db: str, args: list[str]) -> list[str]:
    res = run(db, "events", "--format", "jsonl", "--limit", "1000", *args)
    assert res.exit_code == 0, res.output
    return [json.loads(line)["event_id"] for line in res.stdout.splitlines()]


def api_ids(client: TestClient, params: dict[str, str]) -> list[str]:
    r = client.get("/api/events", params={"limit": "1000", **params})
    assert r.status_code == 200, r.text
    return [e["event_id"] for e in r.json()["events"]]


# each case: CLI arguments, the same filters as API parameters, whether the corpus has matches
CASES: list[tuple[list[str], dict[str, str], bool]] = [
    ([], {}, True),
    (["--actor", "Токаев"], {"actor": "Токаев"}, True),
    (["--actor", "токаев"], {"actor": "токаев"}, True),
    (["--actor", "person:tokayev"], {"actor": "person:tokayev"}, True),
    (["--actor", "Tokayev", "--modality", "future"], {"actor": "Tokayev", "modality": "future"}, False),
    (["--country", "kaz"], {"country": "KAZ"}, True),
    (["--root", "04"], {"cameo": "04"}, True),
    (["--cameo", "041"], {"cameo": "041"}, True),
    (["--quad-class", "1"], {"quad_class": "1"}, True),
    (["--quad-class", "4"], {"quad_class": "4"}, False),
    (["--plover", "consult"], {"plover": "CONSULT"}, True),
    (["--modality", "negated"], {"modality": "negated"}, True),
    (["--lang", "uk"], {"lang": "uk"}, True),
    (["--since", "2025-08-01", "--until", "2025-08-31"], {"date_from": "2025-08-01", "date_to": "2025-08-31"}, True),
    (["--country", "KAZ", "--root", "04", "--since", "2025-08-01"],
     {"country": "KAZ", "cameo": "04", "date_from": "2025-08-01"}, False),
    (["-q", "переговоры"], {"q": "переговоры"}, True),
    (["--query", "переговоры", "--lang", "ru"], {"q": "переговоры", "lang": "ru"}, False),
    (["--sort", "goldstein"], {"sort": "goldstein"}, True),
    (["--sort", "-source", "--country", "UKR"], {"sort": "-source", "country": "UKR"}, True),
    (["--sort", "cameo", "--lang", "en"], {"sort": "cameo", "lang": "en"}, True),
    (["--country", "ZZZ"], {"country": "ZZZ"}, False),
    (["--min-confidence", "0.8"], {"min_confidence": "0.8"}, True),
    (["--min-confidence", "0.8", "--lang", "kk"], {"min_confidence": "0.8", "lang": "kk"}, True),
]


def test_min_confidence_leaves_out_weaker_events_everywhere(demo_db: str, client: TestClient) -> None:
    every = client.get("/api/events", params={"limit": "1000"}).json()["events"]
    strong = client.get("/api/events", params={"limit": "1000", "min_confidence": "0.8"}).json()["events"]
    assert 0 < len(strong) < len(every)
    assert all(e["confidence"] >= 0.8 for e in strong)
    assert {e["event_id"] for e in strong} == {e["event_id"] for e in every if e["confidence"] >= 0.8}
    bad = client.get("/api/events", params={"min_confidence": "2"})
    assert bad.status_code == 422 and "min_confidence" in bad.text
    page = client.get("/events", params={"min_confidence": "0.8"})
    assert page.status_code == 200 and 'name="min_confidence" value="0.8"' in page.text
    assert client.get("/events", params={"min_confidence": ""}).status_code == 200
    with pytest.raises(QueryError, match="min_confidence"):
        EventFilter(min_confidence=1.5)


@pytest.mark.parametrize(("args", "params", "nonempty"), CASES, ids=[" ".join(c[0]) or "all" for c in CASES])
def test_cli_and_api_give_the_same_events_in_the_same_order(
    demo_db: str, client: TestClient, args: list[str], params: dict[str, str], nonempty: bool
) -> None:
    from_cli = cli_ids(demo_db, args)
    assert from_cli == api_ids(client, params)
    if nonempty:
        assert from_cli


def test_actor_matching_ignores_case_in_every_script(demo_db: str, client: TestClient) -> None:
    upper = cli_ids(demo_db, ["--actor", "ТОКАЕВ"])
    assert upper and upper == cli_ids(demo_db, ["--actor", "токаев"]) == cli_ids(demo_db, ["--actor", "Токаев"])
    # names the KB does not know are matched in the stored names and mentions, also ignoring case
    from detente.kb.base import default_kb

    events = [json.loads(x) for x in run(demo_db, "events", "--format", "jsonl", "--limit", "1000").stdout.splitlines()]
    mentions = [a["text"] for ev in events for a in (ev["source"], ev["target"]) if a and len(a["text"]) > 3]
    unknown = next((m for m in mentions if not default_kb().search(m.upper()) and not m.isascii()), None)
    if unknown is None:
        pytest.skip("every mention of the corpus names a KB actor")
    found = cli_ids(demo_db, ["--actor", unknown.upper()])
    assert found and found == cli_ids(demo_db, ["--actor", unknown.lower()]) == api_ids(client, {"actor": unknown})


def test_old_flags_and_csv(demo_db: str, client: TestClient) -> None:
    res = run(demo_db, "events", "--actor", "Tokayev", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    api = client.get("/api/events", params={"actor": "Tokayev", "format": "csv", "limit": "100"})
    assert rows and [r["event_id"] for r in rows] == [r["event_id"] for r in csv.DictReader(io.StringIO(api.text))]
    limited = run(demo_db, "events", "--limit", "5", "--format", "jsonl")
    assert len(limited.stdout.splitlines()) == 5
    assert "--cursor" in limited.stderr  # where the next page starts, on stderr


def test_the_cli_pages_with_the_cursor(demo_db: str) -> None:
    whole = cli_ids(demo_db, ["--sort", "goldstein"])
    seen: list[str] = []
    cursor: list[str] = []
    for _ in range(100):
        res = run(demo_db, "events", "--format", "jsonl", "--limit", "11", "--sort", "goldstein", *cursor)
        seen += [json.loads(line)["event_id"] for line in res.stdout.splitlines()]
        if "--cursor" not in res.stderr:
            break
        cursor = ["--cursor", res.stderr.split("--cursor", 1)[1].split()[0]]
    assert seen == whole


def test_db_before_and_after_the_subcommand(demo_db: str, tmp_path: Path) -> None:
    before = CliRunner().invoke(cli, ["--db", str(demo_db), "events", "--format", "jsonl", "--limit", "3"])
    after = CliRunner().invoke(cli, ["events", "--format", "jsonl", "--limit", "3", "--db", str(demo_db)])
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout and before.stdout
    for args in (["show", "000_e5002aae462662f6.txt"], ["search", "Токаев"]):
        a = CliRunner().invoke(cli, [*args, "--db", str(demo_db)])
        b = CliRunner().invoke(cli, ["--db", str(demo_db), *args])
        assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout, a.output
    fresh = tmp_path / "fresh.db"
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "other.db"), "ingest", str(SEEDS), "--db", str(fresh)])
    assert res.exit_code == 0 and fresh.exists() and not (tmp_path / "other.db").exists()  # the last --db wins


# ---- forged input ----------------------------------------------------------------------------------
def b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


ID = "0123456789abcdef0123456789abcdef01234567"
FORGED_CURSORS = {
    "nul": "\x00",
    "nul inside": encode_cursor("2025-08-01", ID)[:4] + "\x00" + encode_cursor("2025-08-01", ID)[4:],
    "not base64": "!!not-a-cursor",
    "not ascii": "курсор",
    "base64 of junk": b64("junk"),
    "base64 of broken JSON": b64('["2025-08-01", '),
    "object": b64('{"a": 1, "b": 2}'),
    "three items": b64(f'["2025-08-01", "{ID}", 3]'),
    "null": b64("null"),
    "list value": b64(f'[[1], "{ID}"]'),
    "huge integer": b64(f'[{"9" * 400}, "{ID}"]'),
    "huge digits": b64(f'[{"9" * 5000}, "{ID}"]'),
    "infinity": b64(f'[1e999, "{ID}"]'),
    "NaN": b64(f'[NaN, "{ID}"]'),
    "number for a date sort": b64(f'[20250801, "{ID}"]'),
    "NUL in value": b64(f'["2025\\u0000", "{ID}"]'),
    "bad id": b64('["2025-08-01", "x"]'),
    "id not hex": b64('["2025-08-01", "' + "z" * 40 + '"]'),
    "deep nesting": b64("[" * 5000 + "]" * 5000),
    "too long": "A" * 5000,
}


@pytest.mark.parametrize("cursor", FORGED_CURSORS.values(), ids=FORGED_CURSORS.keys())
def test_forged_cursors_are_422_naming_the_cursor(client: TestClient, cursor: str) -> None:
    for path in ("/api/events", "/events"):
        r = client.get(path, params={"cursor": cursor})
        assert r.status_code == 422, (path, r.text)
        assert r.json()["error"]["field"] == "cursor"
        assert r.json()["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize(
    ("sort", "value"), [("goldstein", 10**30), ("goldstein", "high"), ("quad_class", 2**70), ("quad_class", 1.5),
                        ("quad_class", True), ("cameo", "abc"), ("date", "yesterday")]
)
def test_cursor_values_must_fit_the_sort(client: TestClient, sort: str, value: Any) -> None:
    r = client.get("/api/events", params={"cursor": encode_cursor(value, ID), "sort": sort})
    assert r.status_code == 422 and r.json()["error"]["field"] == "cursor", r.text


def test_a_real_cursor_still_works(client: TestClient) -> None:
    for sort in ("-date", "goldstein", "quad_class", "-cameo", "source", "lang", "modality"):
        page = client.get("/api/events", params={"limit": "3", "sort": sort}).json()
        assert page["next"], sort
        assert client.get("/api/events", params={"limit": "3", "sort": sort, "cursor": page["next"]}).status_code == 200
        key = sort.lstrip("-")
        _value, event_id = decode_cursor(page["next"], key)
        assert event_id == page["events"][-1]["event_id"]


Q_ROUTES = ["/api/events", "/api/search", "/api/actors", "/api/stats/timeline", "/api/stats/network", "/",
            "/events", "/search", "/actors", "/network"]


@pytest.mark.parametrize("path", Q_ROUTES)
@pytest.mark.parametrize("q", ["\x00", "перего\x00воры", "a\x00b"])
def test_nul_in_q_is_422_naming_q(client: TestClient, path: str, q: str) -> None:
    r = client.get(path, params={"q": q})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == {"code": "invalid_parameter", "field": "q", "message": r.json()["error"]["message"]}
    assert "q" in r.json()["error"]["message"]
    page = client.get(path, params={"q": q}, headers={"Accept": "text/html"})
    assert page.status_code == 422


def test_nul_in_actor_is_422(client: TestClient) -> None:
    r = client.get("/api/events", params={"actor": "Токаев\x00"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "actor"


def test_the_filter_checks_its_own_fields() -> None:
    for kwargs, field in [({"q": "a\x00"}, "q"), ({"actor": "x\x00"}, "actor"), ({"country": "KAZAKH"}, "country"),
                          ({"cameo": "4"}, "cameo"), ({"quad_class": 7}, "quad_class"), ({"modality": "maybe"},
                                                                                         "modality"),
                          ({"lang": "de"}, "lang"), ({"article": "xyz"}, "article")]:
        with pytest.raises(QueryError) as exc:
            EventFilter.make(**kwargs)
        assert exc.value.field == field


def test_the_cli_rejects_forged_input_naming_the_option(demo_db: str) -> None:
    res = run(demo_db, "events", "--cursor", "junk")
    assert res.exit_code == 2 and "--cursor" in res.output
    res = run(demo_db, "events", "-q", "a\x00b")
    assert res.exit_code == 2 and "--query" in res.output
    res = run(demo_db, "search", "a\x00b")
    assert res.exit_code == 2 and "QUERY" in res.output


# ---- empty results, tables -----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_no_events_says_so_on_stderr(demo_db: str, fmt: str) -> None:
    res = run(demo_db, "events", "--country", "ZZZ", "--format", fmt)
    assert res.exit_code == 0
    assert "no events match" in res.stderr
    assert res.stdout == ("" if fmt != "csv" else res.stdout.splitlines()[0] + "\n")  # csv: the header alone
    if fmt == "csv":
        assert res.stdout.startswith("event_id,")


def test_no_articles_and_no_actors_say_so(demo_db: str) -> None:
    res = run(demo_db, "search", "квазиэлектрификация")
    assert res.exit_code == 0 and res.stdout == "" and "no articles match" in res.stderr
    res = run(demo_db, "actors", "zzqqxx")
    assert res.exit_code == 0 and res.stdout == "" and "no actors match" in res.stderr
    res = run(demo_db, "codes", "99")
    assert res.exit_code == 0 and res.stdout == "" and "no CAMEO codes" in res.stderr


def _event(label: str, article: str) -> EventRecord:
    actor = {"name": "Kassym-Jomart Tokayev", "kb_id": "person:tokayev", "country": "KAZ", "code": "KAZGOV",
             "text": "Касым-Жомарт Токаев", "start": 0, "end": 18}
    return {"event_id": ID, "article_id": ID, "article": article, "lang": "ru", "published": "2025-08-11",
            "cameo": "036", "cameo_root": "03", "cameo_label": label, "quad_class": 1, "goldstein": 4.0,
            "plover": "CONSULT", "plover_mode": None, "modality": "future", "date": None, "date_precision": None,
            "source": actor, "target": actor, "location": None,
            "trigger": {"text": "намерены", "start": 20, "end": 28}, "sentence": {"text": "…", "start": 0, "end": 40},
            "quote": None, "evidence": [], "rule": "r", "confidence": 0.9}


@pytest.mark.parametrize("width", [200, 120, 100])
def test_tables_never_cut_a_label_mid_word(width: int) -> None:
    label = "Express intent to meet or negotiate with international mediators"
    article = "2025-08-11_tengrinews_tokayev_and_mirziyoyev_discussed_cooperation.txt"
    buf = io.StringIO()
    events_table([_event(label, article)], Console(file=buf, width=width, color_system=None))
    text = buf.getvalue()
    assert "…" not in text
    cells = [c.strip() for line in text.splitlines() for c in line.split("│")]
    words = {w for c in cells for w in c.split()}
    for word in label.split():
        assert word in words, (word, text)
    assert "".join(c for c in cells if c and c in article) == article  # a long name folds, whole


def test_the_events_table_shows_whole_labels(demo_db: str) -> None:
    res = run(demo_db, "events", "--limit", "30")
    events = [json.loads(x) for x in run(demo_db, "events", "--limit", "30", "--format", "jsonl").stdout.splitlines()]
    words = set(res.stdout.replace("│", " ").split())
    for ev in events:
        assert set(ev["cameo_label"].split()) <= words, ev["cameo_label"]
    assert "…" not in res.stdout

"""Stories in the store: ingest places articles in stories and merges the reports of one event."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.cli import cli
from detente.store.db import Store

from .conftest import ROOT, SEEDS
from .test_stories import _seed_inputs

DEV_A = ROOT / "samples" / "stories" / "dev" / "a"


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _seeded(tmp_path: Path, db_name: str, only: str | None = None, folder: str = "in") -> tuple[Path, str, str]:
    """The seeds in three formats with their reprints in ``tmp_path/folder``, ingested (all, or the file
    ``only``) into a store ``tmp_path/db_name``: the folder, the store and what ingest printed."""
    inputs = tmp_path / folder
    inputs.mkdir()
    _seed_inputs(inputs)
    db = str(tmp_path / db_name)
    return inputs, db, _run("--db", db, "ingest", str(inputs / only if only else inputs))


def _jsonl(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in output.splitlines() if x.startswith("{")]


def test_seeds_in_three_formats_and_reprints_give_two_stories_and_each_event_once(tmp_path: Path) -> None:
    inputs, db, out = _seeded(tmp_path, "s.db")
    assert "placed in stories: 4" in " ".join(out.split())  # each seed once (three formats, one text) and its reprint
    stories = _jsonl(_run("--db", db, "stories"))
    assert len(stories) == 2 and all(s["articles"] == 2 and s["reprints"] == 1 for s in stories)
    events = _jsonl(_run("--db", db, "events", "--format", "jsonl", "--limit", "1000"))
    mentions = _jsonl(_run("--db", db, "events", "--mentions", "--format", "jsonl", "--limit", "1000"))
    originals = _jsonl(_run("extract", str(SEEDS)))
    assert len(events) == len(originals)  # every seed event once: each reprint's reports merged into it
    assert sum(e["num_mentions"] for e in events) == len(mentions) > len(events)
    assert all(e["merged_into"] is None and e["story"] for e in events)
    assert not any(e["article"].startswith("reprint") for e in events)  # a same-day original stands for them
    both = [e for e in events if e["num_articles"] == 2]
    assert both and all(e["num_mentions"] == 2 and len(e["mentions"]) == 2 for e in both)
    assert all(e["confidence"] >= e["report_confidence"] for e in events)
    again = _run("--db", db, "ingest", str(inputs))
    assert "placed in stories: 0" in " ".join(again.split())
    assert _jsonl(_run("--db", db, "events", "--format", "jsonl", "--limit", "1000")) == events


def test_stored_stories_equal_the_batch_and_one_at_a_time(tmp_path: Path) -> None:
    batch = {r["article"]: r for r in _jsonl(_run("stories", str(DEV_A)))}
    db = str(tmp_path / "a.db")
    _run("--db", db, "ingest", str(DEV_A))
    store = Store(db)
    names = {m["article_id"]: m["article"] for s in store.stories(limit=1000)
             for m in (store.story(s["story"]) or {"members": []})["members"]}
    stored = {}
    for s in store.stories(limit=1000):
        for m in (store.story(s["story"]) or {"members": []})["members"]:
            stored[m["article"]] = (s["story"], names.get(m["duplicate_of"] or ""))
    assert stored == {n: (r["story"], r["duplicate_of"]) for n, r in batch.items()}
    # one article at a time, oldest first, into another store: the same stories
    lines = sorted((json.loads(x) for x in (DEV_A / "articles.jsonl").read_text(encoding="utf-8").splitlines()),
                   key=lambda o: (o["published"], o["id"]))
    one = str(tmp_path / "one.db")
    for k, obj in enumerate(lines):
        f = tmp_path / f"item{k:03d}.jsonl"
        f.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
        _run("--db", one, "ingest", str(f))
    store1 = Store(one)
    got = {m["article"]: s["story"] for s in store1.stories(limit=1000)
           for m in (store1.story(s["story"]) or {"members": []})["members"]}
    assert got == {n: st for n, (st, _d) in stored.items()}


def test_story_command_shows_one_and_names_a_missing_one(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    folder = tmp_path / "in"
    folder.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    _run("--db", db, "ingest", str(folder))
    label = _jsonl(_run("--db", db, "stories"))[0]["story"]
    detail = json.loads(_run("--db", db, "story", label, "--format", "json"))
    assert detail["story"] == label and detail["articles"] == 1 and detail["members"][0]["article"].endswith(".txt")
    assert label in _run("--db", db, "story", label)
    missing = CliRunner().invoke(cli, ["--db", db, "story", "s000000000000"])
    assert missing.exit_code == 1 and "no story" in missing.output
    table = _run("--db", db, "stories", "--format", "table")
    assert label in table


def test_api_lists_stories_shows_one_and_places_submitted_articles(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from detente.api.app import create_app
    from detente.api.context import Settings

    inputs, db, _ = _seeded(tmp_path, "api.db", only="000_e5002aae462662f6.txt")
    with TestClient(create_app(Settings(db=db, token="t", private=False, pipeline="thread"))) as c:
        answer = c.get("/api/stories").json()
        listed = answer["stories"]
        assert len(listed) == 1 and listed[0]["articles"] == 1
        assert set(answer["actor_names"]) == set(listed[0]["actors"])
        assert answer["actor_names"].get("person:tokayev") == "Kassym-Jomart Tokayev"
        label = listed[0]["story"]
        reprint = json.loads((inputs / "seeds.jsonl").read_text(encoding="utf-8").splitlines()[2])
        assert reprint["id"] == "reprint0"
        body = {"text": reprint["text"], "date": reprint["published"], "title": "Перепечатка"}
        r = c.post("/api/articles", json=body, headers={"Authorization": "Bearer t"})
        assert r.status_code == 201, r.text
        detail = c.get(f"/api/stories/{label}").json()
        assert detail["articles"] == 2 and detail["reprints"] == 1
        assert any(e["num_articles"] == 2 for e in detail["events"])
        assert all(e["story"] == label for e in detail["events"])
        assert c.get("/api/stories/s000000000000").status_code == 404
        assert c.get("/api/stories/%25").status_code == 404
        assert len(c.get("/api/events", params={"mentions": "true", "limit": 1000}).json()["events"]) > \
            len(c.get("/api/events", params={"limit": 1000}).json()["events"])


@pytest.fixture
def seeded_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app over a store holding the seeds in three formats and a reprint of each (two stories)."""
    from detente.api.app import create_app
    from detente.api.context import Settings

    _, db, _ = _seeded(tmp_path, "seeded.db")
    with TestClient(create_app(Settings(db=db, token=None, private=False))) as c:
        yield c


def test_story_pages_render_and_a_missing_story_is_404(seeded_client: TestClient) -> None:
    c = seeded_client
    listing = c.get("/stories")
    assert listing.status_code == 200 and listing.text.count('class="story-link"') == 2
    label = c.get("/api/stories").json()["stories"][0]["story"]
    page = c.get(f"/stories/{label}")
    assert page.status_code == 200 and "reprint of" in page.text and 'class="mention"' in page.text
    assert c.get("/stories/s000000000000").status_code == 404
    assert c.get("/stories/<script>").status_code == 404


def test_overview_and_event_table_switch_between_events_and_mentions(seeded_client: TestClient) -> None:
    c = seeded_client
    events = c.get("/api/stats/timeline").json()
    mentions = c.get("/api/stats/timeline", params={"mentions": "true"}).json()
    assert json.dumps(events) != json.dumps(mentions)
    page = c.get("/events", params={"mentions": "true"})
    assert page.status_code == 200 and 'name="mentions" value="true" checked' in page.text
    assert 'name="mentions" value="true" checked' not in c.get("/").text
    assert c.get("/", params={"mentions": "true"}).status_code == 200


def test_reprints_are_found_in_the_weeks_around_a_day_and_old_band_tables_are_filed_again(tmp_path: Path) -> None:
    from sqlalchemy import func, select, text

    from detente.store import schema as S

    raw = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8")
    body = raw.split("\n", 1)[1]
    items = [{"id": "orig", "published": "2025-03-01", "text": body},
             {"id": "copy", "published": "2025-03-06", "text": "Фото: МИД.\n\n" + body},
             {"id": "late", "published": "2025-04-20", "text": body + "\n\nФото: МИД."},
             {"id": "undated", "text": "Читайте также.\n\n" + body}]
    src = tmp_path / "items.jsonl"
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in items), encoding="utf-8")
    batch = {r["article"]: r["duplicate_of"] for r in _jsonl(_run("stories", str(src)))}
    assert batch == {"orig": None, "copy": "orig", "late": None, "undated": "orig"}
    db = str(tmp_path / "r.db")
    _run("--db", db, "ingest", str(src))
    store = Store(db)
    members = [m for s in store.stories() for m in (store.story(s["story"]) or {"members": []})["members"]]
    stored = {m["article"]: m["duplicate_of"] for m in members}
    ids = {m["article_id"]: m["article"] for m in members}
    assert {k: ids.get(v or "") for k, v in stored.items()} == batch
    with store.engine.begin() as conn:  # the band table of the version before the weekly filing
        before = conn.execute(select(func.count()).select_from(S.story_bands)).scalar_one()
        conn.execute(text("DROP TABLE story_bands"))
        conn.execute(text("CREATE TABLE story_bands (key BIGINT NOT NULL, article_id VARCHAR(40) NOT NULL, "
                          "PRIMARY KEY (key, article_id))"))
    store.engine.dispose()
    again = Store(db)
    with again.engine.connect() as conn:
        rows = conn.execute(select(S.story_bands.c.bucket, func.count()).group_by(S.story_bands.c.bucket)).all()
    assert sum(n for _b, n in rows) == before and -1 in {b for b, _n in rows}
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "copy2", "published": "2025-03-02", "text": body + "\n\nФото: ТАСС."},
                               ensure_ascii=False), encoding="utf-8")
    _run("--db", db, "ingest", str(more))
    members = [m for s in again.stories() for m in (again.story(s["story"]) or {"members": []})["members"]]
    assert next(ids.get(m["duplicate_of"] or "") for m in members if m["article"] == "copy2") == "orig"


def test_story_lists_take_the_event_filters(seeded_client: TestClient, tmp_path: Path) -> None:
    c = seeded_client
    listed = c.get("/api/stories").json()["stories"]
    countries = {s["story"]: {x for e in c.get(f"/api/stories/{s['story']}").json()["events"]
                              for x in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country")) if x}
                 for s in listed}
    only = {story: sorted(cs - set().union(*(v for k, v in countries.items() if k != story)))
            for story, cs in countries.items()}
    story, iso = next((s, cs[0]) for s, cs in only.items() if cs)  # a country in one story's events only
    assert [s["story"] for s in c.get("/api/stories", params={"country": iso}).json()["stories"]] == [story]
    assert c.get("/api/stories", params={"cameo": "99"}).json()["stories"] == []
    assert c.get("/api/stories", params={"country": "KA"}).status_code == 422
    page = c.get("/stories", params={"country": iso})
    assert page.status_code == 200 and page.text.count('class="story-link"') == 1 and 'id="filters"' in page.text
    inputs, db, _ = _seeded(tmp_path, "cli.db", folder="cli-in")
    assert [s["story"] for s in _jsonl(_run("--db", db, "stories", "--country", iso))] == [story]
    bad = CliRunner().invoke(cli, ["stories", str(inputs), "--country", iso])
    assert bad.exit_code == 2 and "without PATHS" in bad.output


def test_story_timeline_counts_articles_per_day_by_language() -> None:
    from detente.web.stories import articles_per_day

    members = [{"published": "2025-03-01", "lang": "ru"}, {"published": "2025-03-03", "lang": "ru"},
               {"published": "2025-03-03", "lang": "en"}, {"published": None, "lang": "kk"}]
    chart = articles_per_day(members, {"ru": "Russian", "en": "English"})
    assert chart["periods"] == ["2025-03-01", "2025-03-02", "2025-03-03"] and chart["total"] == 3
    assert chart["series"] == [{"label": "English", "counts": [0, 0, 1]}, {"label": "Russian", "counts": [1, 0, 1]}]


def test_a_store_of_the_version_before_stories_is_upgraded_in_place(tmp_path: Path) -> None:
    from sqlalchemy import inspect, text

    inputs, db, _ = _seeded(tmp_path, "old.db", only="000_e5002aae462662f6.txt")
    store = Store(db)
    with store.engine.begin() as conn:  # the events table as it was before stories: no story columns
        conn.execute(text("DROP VIEW IF EXISTS rollup_daily"))
        for ix in inspect(conn).get_indexes("events"):
            conn.execute(text(f"DROP INDEX {ix['name']}"))
        for column in ("story", "merged_into", "num_mentions", "num_sources", "num_articles", "location_lat",
                       "location_lon"):
            conn.execute(text(f"ALTER TABLE events DROP COLUMN {column}"))
        for table in inspect(conn).get_table_names():
            if table.startswith("story_"):
                conn.execute(text(f"DROP TABLE {table}"))
    store.engine.dispose()
    before = _jsonl(_run("--db", db, "events", "--format", "jsonl"))
    assert before and all(e["num_mentions"] == 1 for e in before)
    with Store(db).engine.connect() as conn:  # the places' coordinates come back from the stored documents
        placed = conn.execute(text("SELECT location_name, location_lat FROM events WHERE location_name IS NOT NULL"))
        rows = placed.all()
    assert rows and all(lat is not None for _name, lat in rows)
    _run("--db", db, "ingest", str(inputs / "seeds.jsonl"))  # the seed again and its reprint: placed and merged
    after = _jsonl(_run("--db", db, "events", "--format", "jsonl"))
    assert {e["event_id"] for e in before} <= {e["event_id"] for e in after}
    assert any(e["num_articles"] == 2 for e in after) and all(e["story"] for e in after)

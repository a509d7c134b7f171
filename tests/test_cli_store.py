"""The command line and the store: ingest is idempotent, bad input is reported and skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.store.db import Store

from .conftest import SEEDS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with both seeds, a plain text file and every kind of bad input."""
    d = tmp_path / "in"
    d.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, d / p.name)
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (d / "cp1251.txt").write_bytes(" date 2025-08-12 Путин позвонил Токаеву.".encode("cp1251"))
    (d / "utf16.txt").write_bytes(" date 2025-08-12 Зеленський зателефонував Токаєву.".encode("utf-16"))
    (d / "truncated.html").write_text("<html><head><title>Новости</title></head><body><article><p>Президент "
                                      "Казахстана Касым-Жомарт Токаев провел телефонный разговор с президентом "
                                      "Узбекистана Шавкатом Мирзиёевым.</p><p>Стороны обсудили", encoding="utf-8")
    (d / "broken.xml").write_text("<rss><channel><item><title>oops</ite", encoding="utf-8")
    (d / "nodate.txt").write_text("Глава МИД России Сергей Лавров встретился с Мурат Нуртлеу.", encoding="utf-8")
    with (d / "huge.txt").open("wb") as fh:
        fh.truncate(50_000_000)
    return d


def test_ingest_reports_bad_input_and_is_idempotent(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db), "ingest", str(corpus)])
    assert first.exit_code == 1, first.output  # some inputs failed
    out = first.output
    for name, reason in [("empty.txt", "empty"), ("binary.txt", "binary"), ("huge.txt", "limit"),
                         ("broken.xml", "feed")]:
        line = next((ln for ln in out.splitlines() if name in ln), "")
        assert reason in line.lower(), (name, out)
    store = Store(str(db))
    counts = store.counts()
    assert counts["articles"] == 6  # two seeds, cp1251, utf-16, html, no-date text
    assert counts["ingest_errors"] >= 4
    n_events = counts["events"]
    assert n_events > 0
    again = runner.invoke(cli, ["--db", str(db), "ingest", str(corpus)])
    assert "stored: 0" in again.output and "already stored: 6" in again.output
    assert Store(str(db)).counts()["events"] == n_events


def test_ingest_resumes_after_interruption(tmp_path: Path) -> None:
    """A run that stored some articles and died is finished by running it again, without duplicates."""
    d = tmp_path / "in"
    d.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, d / p.name)
    db = tmp_path / "t.db"
    runner = CliRunner()
    one = sorted(d.glob("*.txt"))[0]
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(one)]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(db), "ingest", str(d)])
    assert result.exit_code == 0
    assert "stored: 1" in result.output and "already stored: 1" in result.output
    assert Store(str(db)).counts()["articles"] == 2


def test_events_show_search(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(SEEDS)]).exit_code == 0
    res = runner.invoke(cli, ["--db", str(db), "events", "--country", "KAZ", "--format", "jsonl"])
    rows = [json.loads(x) for x in res.output.splitlines() if x.strip()]
    assert rows and all("KAZ" in ((r["source"] or {}).get("country"), (r["target"] or {}).get("country"))
                        for r in rows)
    res = runner.invoke(cli, ["--db", str(db), "events", "--root", "04", "--modality", "asserted"])
    assert res.exit_code == 0 and "041" in res.output
    aid = rows[0]["article_id"]
    shown = runner.invoke(cli, ["--db", str(db), "show", aid[:8]])
    assert shown.exit_code == 0 and ("Токаев" in shown.output or "Токаєв" in shown.output)
    found = runner.invoke(cli, ["--db", str(db), "search", "телефонные разговоры"])  # lemmas match any inflection
    assert found.exit_code == 0 and "1 articles" in found.output and "разговор" in found.output
    found = runner.invoke(cli, ["--db", str(db), "search", "добрих послуг"])
    assert "1 articles" in found.output


def test_extract_jsonl_contract(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["extract", str(SEEDS), "--format", "jsonl"])
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert lines
    required = {"event_id", "article_id", "article", "lang", "published", "cameo", "cameo_root", "quad_class",
                "goldstein", "plover", "modality", "date", "date_precision", "source", "target", "location",
                "trigger", "sentence", "quote", "confidence"}
    for ev in lines:
        assert required <= set(ev)
        assert ev["modality"] in ("asserted", "negated", "future", "hypothetical")


def test_missing_db_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "nope.db"), "events"])
    assert res.exit_code != 0 and "no database" in res.output


def test_extract_with_two_workers_matches_one(tmp_path: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(cli, ["extract", str(SEEDS), "--format", "jsonl"])
    two = runner.invoke(cli, ["extract", str(SEEDS), "--format", "jsonl", "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert sorted(one.stdout.splitlines()) == sorted(two.stdout.splitlines())


def test_annotate_contract() -> None:
    res = CliRunner().invoke(cli, ["annotate", str(SEEDS)])
    assert res.exit_code == 0
    records = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(records) == 2
    for rec in records:
        keys = {"article_id", "article", "lang", "published", "text", "entities", "times", "quotes", "events"}
        assert keys <= set(rec)
        for ent in rec["entities"]:
            assert ent["type"] in ("PER", "ORG", "LOC", "MEDIA", "MISC")
            assert rec["text"][ent["start"] : ent["end"]] == ent["text"]
        for t in rec["times"]:
            assert rec["text"][t["start"] : t["end"]] == t["text"]
        for q in rec["quotes"]:
            assert q["speaker"] is None or {"name", "kb_id"} <= set(q["speaker"])


def test_plain_text_with_and_without_date(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Вчера президент России Владимир Путин позвонил Касым-Жомарту Токаеву.", encoding="utf-8")
    runner = CliRunner()
    dated = [json.loads(x) for x in runner.invoke(cli, ["extract", str(f), "--date", "2025-08-11"]).stdout.splitlines()]
    assert dated and dated[0]["date"] == "2025-08-10" and dated[0]["published"] == "2025-08-11"
    undated = [json.loads(x) for x in runner.invoke(cli, ["extract", str(f)]).stdout.splitlines()]
    assert undated and undated[0]["date"] is None and undated[0]["published"] is None


def test_ingest_and_extract_leave_out_events_below_min_confidence(tmp_path: Path) -> None:
    runner = CliRunner()
    def extract(*extra: str) -> list[float]:
        res = runner.invoke(cli, ["extract", str(SEEDS), "--format", "jsonl", *extra])
        return [json.loads(x)["confidence"] for x in res.stdout.splitlines()]

    confs, strong = extract(), extract("--min-confidence", "0.8")
    assert strong == [c for c in confs if c >= 0.8] and 0 < len(strong) < len(confs)
    db = tmp_path / "m.db"
    res = runner.invoke(cli, ["ingest", str(SEEDS), "--min-confidence", "0.8", "--db", str(db)])
    assert res.exit_code == 0, res.output
    stored = [json.loads(x)["confidence"] for x in
              runner.invoke(cli, ["--db", str(db), "events", "--format", "jsonl"]).stdout.splitlines()]
    assert sorted(stored) == sorted(strong)

"""Several processes writing one store at once: each article stored once, nobody fails."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from detente.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def _ingest(db: Path, paths: list[Path]) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "detente", "--db", str(db), "ingest", *map(str, paths)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200"})


def test_two_ingests_of_overlapping_inputs_into_a_new_database(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    for i, p in enumerate(SAMPLES[:4]):
        (extra / f"b{i}.txt").write_text(p.read_text(encoding="utf-8") + f"\nДобавлено {i}.", encoding="utf-8")
    first = SAMPLES
    second = SAMPLES[10:] + sorted(extra.iterdir())
    for run in range(2):  # two rounds on two new databases: the race is a matter of milliseconds
        db = tmp_path / f"race{run}.db"
        procs = [_ingest(db, first), _ingest(db, second)]
        outputs = [p.communicate(timeout=300)[0] for p in procs]
        for proc, output in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, output
            assert "Traceback" not in output and "IntegrityError" not in output, output
        stored = sum(int(re.search(r"stored: (\d+)", o).group(1)) for o in outputs)  # type: ignore[union-attr]
        counts = Store(str(db)).counts()
        assert counts["articles"] == len(SAMPLES) + 4 == stored, outputs
        assert counts["ingest_errors"] == 0


def _save_many(db: str, records: list[dict[str, Any]], barrier: Any, queue: Any) -> None:
    store = Store(db)
    barrier.wait()
    try:
        queue.put([store.save(rec) for rec in records])
    except Exception as exc:  # report it to the test instead of dying
        queue.put(repr(exc))


def _record(i: int) -> dict[str, Any]:
    return {"article_id": f"{i:040x}", "article": f"a{i}", "text": f"Текст {i}", "events": [], "entities": [],
            "times": [], "quotes": []}


@pytest.mark.parametrize("fresh", [True, False])
def test_processes_saving_the_same_articles_store_each_once(tmp_path: Path, fresh: bool) -> None:
    db = tmp_path / "s.db"
    if not fresh:
        Store(str(db)).engine.dispose()
    records = [_record(i) for i in range(60)]
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_save_many, args=(str(db), records, barrier, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(isinstance(r, list) for r in results), results
    assert [sum(col) for col in zip(*results, strict=True)] == [1] * len(records)  # each stored by exactly one
    assert Store(str(db)).counts()["articles"] == len(records)


def test_force_keeps_stored_metadata_the_new_input_lacks(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from detente.cli import cli

    text = (ROOT / "samples" / "ru_01.txt").read_text(encoding="utf-8").split(" ", 2)[-1]
    jsonl = tmp_path / "a.jsonl"
    record = {"id": "r1", "text": text, "url": "https://example.org/r1", "title": "Заголовок", "outlet": "Tengrinews",
              "published": "2025-08-11"}
    jsonl.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    plain = tmp_path / "same.txt"
    plain.write_text(text, encoding="utf-8")
    db = tmp_path / "f.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "ingest", str(jsonl)]).exit_code == 0
    before = Store(str(db)).article("r1")
    assert before is not None
    forced = runner.invoke(cli, ["--db", str(db), "ingest", "--force", str(plain)])
    assert forced.exit_code == 0, forced.output
    after = Store(str(db)).article(before["id"])
    assert after is not None
    for key in ("url", "title", "outlet", "published", "outlet_country"):
        assert after[key] == before[key], key
    assert [e["date"] for e in after["events"]] == [e["date"] for e in before["events"]]  # dates resolve as before

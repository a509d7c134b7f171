"""Batch runs: `detente run` on the local engine and on a local Ray cluster (num_cpus=2) writes the same
Parquet parts, errors included; `detente load` stores them idempotently, the events `ingest` stores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.engines.batch import run_local, run_ray
from detente.engines.parts import read_parts

from .conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, three samples, a JSONL file with a broken line and a Parquet file with an empty row."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, folder / "seeds")
    for name in ("ru_01.txt", "uk_01.txt", "kk_01.txt"):
        shutil.copy(ROOT / "samples" / name, folder / name)
    lines = [json.dumps({"id": "j1", "published": "2025-03-01", "text": "Токаев провёл телефонный разговор с Путиным."},
                        ensure_ascii=False), "{not json"]
    (folder / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.table({"id": ["p1", "p2"], "published": ["2025-04-02", None],
                             "text": ["Зеленский встретился с Эрдоганом в Анкаре.", ""]}), folder / "rows.parquet")
    return folder


def _rows(out: Path) -> list[tuple[str, ...]]:
    keys = ("name", "date", "article_id", "record", "error", "kind", "item", "source_path")
    return sorted(tuple(str(r[k]) for k in keys) for r in read_parts(out))


def _invoke(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args))
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def local_parts(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "parts"
    summary = run_local([str(corpus)], out, workers=2)
    assert (summary.articles, summary.errors) == (7, 2)  # 2 seeds + 3 samples + j1 + p1; a bad line, an empty row
    return out


def test_local_parts_are_partitioned_by_date_and_keep_every_error(local_parts: Path) -> None:
    folders = {p.name for p in local_parts.iterdir()}
    assert "date=2025-08-11" in folders and "date=2025-03-01" in folders
    rows = list(read_parts(local_parts))
    errors = [r for r in rows if r["error"]]
    assert sorted((r["kind"], r["item"]) for r in errors) == [("EmptyArticle", "p2"), ("MalformedJSONL", "line 2")]
    assert all(r["source_path"] for r in errors)
    records = [json.loads(r["record"]) for r in rows if r["record"]]
    assert all(rec["events"] is not None and "seconds" not in rec for rec in records)


def test_load_stores_the_events_ingest_stores_and_is_idempotent(local_parts: Path, corpus: Path,
                                                                 tmp_path: Path) -> None:
    loaded, ingested = str(tmp_path / "loaded.db"), str(tmp_path / "ingested.db")
    first = _invoke("--db", loaded, "load", str(local_parts))
    assert "stored: 7" in first and "errors logged: 2" in first
    again = _invoke("--db", loaded, "load", str(local_parts))
    assert "stored: 0, already stored: 7" in again
    CliRunner().invoke(cli, ["--db", ingested, "ingest", str(corpus / "seeds"), *(str(corpus / n) for n in
                             ("ru_01.txt", "uk_01.txt", "kk_01.txt", "more.jsonl"))])

    def events(db: str) -> set[str]:
        out = _invoke("--db", db, "events", "--format", "jsonl", "--limit", "1000", "--mentions")
        return {json.loads(x)["event_id"] for x in out.splitlines() if x.startswith("{")}

    assert events(ingested) and events(ingested) <= events(loaded)  # the Parquet row p1 only comes through run


def test_ray_engine_writes_the_same_parts_as_the_local_engine(local_parts: Path, corpus: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "ray-parts"
    summary = run_ray([str(corpus)], out, num_cpus=2)
    assert (summary.articles, summary.errors) == (7, 2)
    assert _rows(out) == _rows(local_parts)
    again = run_ray([str(corpus)], out, num_cpus=2)  # a re-run replaces its parts, never adds to them
    assert again.rows == summary.rows and len(_rows(out)) == summary.rows


def test_run_needs_inputs_and_names_a_missing_one(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["run", str(tmp_path / "nothing"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0 and "1 errors" in res.output
    rows: list[dict[str, Any]] = list(read_parts(tmp_path / "o"))
    assert rows and rows[0]["kind"] == "MissingFile" and "nothing" in rows[0]["error"]
    assert CliRunner().invoke(cli, ["run", "--out", str(tmp_path / "o")]).exit_code == 2


def test_runs_refuse_what_ingest_refuses_before_reading_it(tmp_path: Path) -> None:
    from detente.engines.parts import input_files

    big, pdf = tmp_path / "big.txt", tmp_path / "paper.pdf"
    big.write_text("Токаев провёл переговоры. " * 40, encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.4")
    files, errors = input_files([str(big), str(pdf)], max_bytes=100)
    assert files == [] and sorted(e["kind"] for e in errors) == ["FileTooLarge", "UnsupportedFormat"]
    assert input_files([str(big)])[0] == [str(big.resolve())]  # under the default limit it is read


def test_run_max_bytes_refuses_a_file_over_it_and_raising_it_reads_the_file(tmp_path: Path) -> None:
    """The refusal says "raise the limit": `detente run --max-bytes` is how (a large JSONL archive)."""
    big = tmp_path / "big.jsonl"
    line = json.dumps({"id": "a", "published": "2025-03-01", "text": "Токаев провёл переговоры с Путиным."},
                      ensure_ascii=False)
    big.write_text(line + "\n", encoding="utf-8")
    size = big.stat().st_size
    refused = _invoke("run", str(big), "--out", str(tmp_path / "o1"), "--max-bytes", str(size - 1))
    assert "0 articles coded, 1 errors" in refused
    assert [r["kind"] for r in read_parts(tmp_path / "o1")] == ["FileTooLarge"]
    read = _invoke("run", str(big), "--out", str(tmp_path / "o2"), "--max-bytes", str(size))
    assert "1 articles coded, 0 errors" in read

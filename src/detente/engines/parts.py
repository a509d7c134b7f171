"""What a batch run reads and writes, the same for every engine.

Inputs are listed by :func:`input_files` (directories walked as ``detente ingest`` walks them) and
turned into input rows: an article to code, or the error that stands for an unreadable one, each
with its source path. Outputs are Parquet parts under one folder, partitioned by publication date
(``date=2025-08-11/``, ``date=undated/``): a row per article with its processed record as JSON, or
its error, so ``detente load`` stores the articles and logs the errors, and nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from detente.doc import Article
from detente.ingest import IngestError, read_bytes
from detente.ingest.reader import DEFAULT_MAX_BYTES, file_refusal, iter_files
from detente.output import article_to_record
from detente.records import InputRecord, ProcessedRecord, is_failure

#: the columns of an input row and of a part row (all strings, None where empty)
INPUT_FIELDS = ("text", "name", "published", "url", "title", "outlet", "lang", "source_path", "error", "kind",
                "item")
PART_FIELDS = ("date", "article_id", "name", "source_path", "record", "error", "kind", "item")
UNDATED = "undated"
PARQUET_INPUT = (".parquet", ".pq")


def input_files(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[str], list[dict[str, Any]]]:
    """The files to read (absolute paths, in order) and error rows for paths that cannot be listed and for
    files refused before reading (:func:`~detente.ingest.reader.file_refusal`: too large, of a kind detente
    cannot read), so every engine refuses the same files, a distributed one before shipping their bytes."""
    files: list[str] = []
    errors: list[dict[str, Any]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for item in iter_files(path):
                if isinstance(item, IngestError):
                    errors.append(error_row(item))
                else:
                    files.append(str(item.resolve()))
            files += sorted(str(p.resolve()) for p in path.rglob("*") if p.suffix.lower() in PARQUET_INPUT
                            and p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            files.append(str(path.resolve()))
        else:
            errors.append(failed_row(str(raw), "MissingFile", f"{raw}: no such file or folder"))
    readable = []
    for f in files:
        refused = file_refusal(f, max_bytes=max_bytes)
        if refused is None:
            readable.append(f)
        else:
            errors.append(error_row(refused))
    return readable, errors


def failed_row(path: str, kind: str, reason: str, item: str | None = None) -> dict[str, Any]:
    """The input row of a file or item that could not be read: where, what kind of failure, why."""
    return {**dict.fromkeys(INPUT_FIELDS), "source_path": path, "kind": kind, "item": item, "error": reason}


def error_row(err: IngestError) -> dict[str, Any]:
    """The input row of an :class:`~detente.ingest.IngestError`."""
    return failed_row(err.path, type(err).__name__, err.reason, err.item)


def article_row(article: Article) -> dict[str, Any]:
    """The input row of an article to code."""
    rec = article_to_record(article)
    return {**dict.fromkeys(INPUT_FIELDS), **rec}


def rows_of_bytes(data: bytes, path: str, date: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """The input rows of one file's bytes (every article, or the errors that stand for them)."""
    for item in read_bytes(data, path, date=date):
        yield error_row(item) if isinstance(item, IngestError) else article_row(item)


def rows_of_parquet_row(row: dict[str, Any], path: str) -> dict[str, Any]:
    """The input row of one row of a Parquet input (``text`` and optionally ``id``, ``published``, ...).

    A row without ``id`` or ``name`` is named by its file and the hash of its text, which any engine
    reading the rows in any order gives it alike.
    """
    text = row.get("text")
    digest = hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:12]
    name = str(row.get("id") or row.get("name") or f"{Path(path).name}:{digest}")
    if not isinstance(text, str) or not text.strip():
        return failed_row(path, "EmptyArticle", "the row has no text", name)
    published = row.get("published")
    if isinstance(published, dt.datetime | dt.date):
        published = published.isoformat()[:10]
    out = {**dict.fromkeys(INPUT_FIELDS), "text": text, "name": name, "source_path": path,
           "published": str(published)[:10] if published else None}
    for key in ("url", "title", "outlet", "lang"):
        out[key] = str(row[key]) if row.get(key) else None
    return out


def read_parquet_rows(path: str) -> Iterator[dict[str, Any]]:
    """The input rows of a Parquet input file, read here (the local engine)."""
    import pyarrow.parquet as pq

    for row in pq.read_table(path).to_pylist():
        yield rows_of_parquet_row(row, path)


def to_input(row: dict[str, Any]) -> InputRecord:
    """The pipeline's input record of an article row."""
    return InputRecord(text=str(row["text"]), name=str(row["name"]), published=row.get("published"),
                       url=row.get("url"), title=row.get("title"), outlet=row.get("outlet"), lang=row.get("lang"),
                       source_path=row.get("source_path"))


def part_row(row: dict[str, Any], result: ProcessedRecord | None) -> dict[str, Any]:
    """The part row of an input row and, for an article, what the pipeline made of it."""
    out = {**dict.fromkeys(PART_FIELDS), "name": row.get("name"), "source_path": row.get("source_path"),
           "date": row.get("published") or UNDATED, "error": row.get("error"), "kind": row.get("kind"),
           "item": row.get("item")}
    if result is not None:
        if is_failure(result):
            out.update(error=str(result["error"]), kind="PipelineError", item=row.get("name"))
        else:
            body = {k: v for k, v in result.items() if k != "seconds"}  # timings differ run to run
            out.update(article_id=body["article_id"], record=json.dumps(body, ensure_ascii=False, sort_keys=True))
    return out


def clear(out: Path) -> None:
    """Remove the parts of an earlier run from ``out`` (a re-run writes them again, not beside them)."""
    if out.is_dir():
        for sub in out.glob("date=*"):
            if sub.is_dir():
                shutil.rmtree(sub)


def write_parts(rows: Iterable[dict[str, Any]], out: Path, batch: int = 2000) -> int:
    """Write part rows under ``out``, partitioned by ``date``; the number written."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    clear(out)
    out.mkdir(parents=True, exist_ok=True)
    schema = part_schema()
    n, chunk, k = 0, [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            _write(ds, pa, chunk, schema, out, k)
            n, chunk, k = n + len(chunk), [], k + 1
    if chunk:
        _write(ds, pa, chunk, schema, out, k)
        n += len(chunk)
    return n


def _write(ds: Any, pa: Any, rows: list[dict[str, Any]], schema: Any, out: Path, k: int) -> None:
    table = pa.Table.from_pylist(rows, schema=schema)
    ds.write_dataset(table, out, format="parquet", partitioning=["date"], partitioning_flavor="hive",
                     basename_template=f"part-{k:05d}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore")


def part_schema() -> Any:
    """The pyarrow schema of part rows: every column a string."""
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in PART_FIELDS])


def read_parts(folder: Path) -> Iterator[dict[str, Any]]:
    """Every part row under ``folder`` (written by either engine), a batch at a time."""
    import pyarrow.dataset as ds

    if not any(folder.rglob("*.parquet")):
        return
    data = ds.dataset(str(folder), format="parquet", partitioning="hive", schema=part_schema())
    for batch in data.to_batches():
        yield from batch.to_pylist()

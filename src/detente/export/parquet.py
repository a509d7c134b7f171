"""Parquet export: one row per event with a typed schema (``pip install 'detente[parquet]'`` brings pyarrow).

The columns are the CSV export's, plus the event's day, its location's coordinates, what it is merged
into, and its article's url and outlet; ``docs/formats.md`` lists them with their types. Dates are
``date32`` where they are whole days (``published``, ``day``); an event's own ``date`` stays a string,
as it may be a month (``2025-08``) or a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

from detente.export.csv import flatten
from detente.records import StoredEvent

if TYPE_CHECKING:
    import pyarrow as pa

BATCH = 5000

#: (column, pyarrow type name) in order; the types are built when pyarrow is imported
FIELDS: list[tuple[str, str]] = [
    ("event_id", "string"), ("article_id", "string"), ("article", "string"), ("lang", "string"),
    ("published", "date32"), ("day", "date32"), ("date", "string"), ("date_precision", "string"),
    ("cameo", "string"), ("cameo_root", "string"), ("quad_class", "int8"), ("goldstein", "float64"),
    ("plover", "string"), ("plover_mode", "string"), ("modality", "string"),
    ("source_name", "string"), ("source_country", "string"), ("source_code", "string"), ("source_kb_id", "string"),
    ("source_text", "string"), ("target_name", "string"), ("target_country", "string"), ("target_code", "string"),
    ("target_kb_id", "string"), ("target_text", "string"),
    ("location_name", "string"), ("location_country", "string"), ("location_lat", "float64"),
    ("location_lon", "float64"), ("trigger", "string"), ("sentence", "string"), ("rule", "string"),
    ("confidence", "float64"), ("story", "string"), ("merged_into", "string"), ("num_mentions", "int32"),
    ("num_sources", "int32"), ("num_articles", "int32"), ("url", "string"), ("outlet", "string"),
]


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed; the message says how to install it."""


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise ParquetUnavailable("Parquet needs pyarrow: pip install 'detente[parquet]'") from exc
    return pyarrow


def schema() -> pa.Schema:
    """The export's pyarrow schema."""
    pa = _pyarrow()
    return pa.schema([(name, getattr(pa, kind)()) for name, kind in FIELDS])


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value and len(str(value)) == 10 else None
    except ValueError:
        return None


def to_row(ev: StoredEvent) -> dict[str, Any]:
    """One event as a row of the schema."""
    row = flatten(ev)
    loc: Mapping[str, Any] = ev.get("location") or {}
    row.update(published=_date(ev.get("published")), day=_date(ev.get("day") or ev.get("date")),
               location_lat=loc.get("lat"), location_lon=loc.get("lon"), merged_into=ev.get("merged_into"),
               url=ev.get("url"), outlet=ev.get("outlet"), num_mentions=ev.get("num_mentions", 1),
               num_sources=ev.get("num_sources", 1), num_articles=ev.get("num_articles", 1))
    return {name: row.get(name) for name, _ in FIELDS}


def _batches(events: Iterable[StoredEvent]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for ev in events:
        batch.append(to_row(ev))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    yield batch


def write(events: Iterable[StoredEvent], sink: str | IO[bytes]) -> int:
    """Write events to a Parquet file (a path or a binary file object); the number of rows."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    sch = schema()
    n = 0
    with pq.ParquetWriter(sink, sch, compression="zstd") as writer:
        for batch in _batches(events):
            if batch or not n:
                writer.write_table(pa.Table.from_pylist(batch, schema=sch))
            n += len(batch)
    return n

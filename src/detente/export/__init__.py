"""Exports of events in the field's file formats: CSV, JSON Lines, Parquet, GDELT 2.0 (events and mentions), POLECAT.

Each format is an :class:`ExportFormat`: its name, media type, file suffix, whether it is binary, whether
it wants every report (GDELT's Mentions table) and the function that writes events to a file object.
``detente export``, ``/api/events?format=`` and the Python API all write through :data:`FORMATS`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, TextIO, cast

from detente.records import StoredEvent


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format."""

    name: str
    media_type: str
    suffix: str
    binary: bool
    write: Callable[[Iterable[StoredEvent], IO[Any]], int]
    mentions: bool = False  # True: written from every report, not from each event once
    description: str = ""


def _csv(events: Iterable[StoredEvent], fh: IO[Any]) -> int:
    from detente.export.csv import write_events_csv

    return write_events_csv(events, cast(TextIO, fh))


def _jsonl(events: Iterable[StoredEvent], fh: IO[Any]) -> int:
    n = 0
    for ev in events:
        fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
        n += 1
    return n


def _parquet(events: Iterable[StoredEvent], fh: IO[Any]) -> int:
    from detente.export import parquet

    return parquet.write(events, fh)


def _gdelt(events: Iterable[StoredEvent], fh: IO[Any]) -> int:
    from detente.export import gdelt

    return gdelt.write_events(events, cast(TextIO, fh))


def _gdelt_mentions(events: Iterable[StoredEvent], fh: IO[Any]) -> int:
    from detente.export import gdelt

    return gdelt.write_mentions(events, cast(TextIO, fh))


def _polecat(events: Iterable[StoredEvent], fh: IO[Any]) -> int:
    from detente.export import polecat

    return polecat.write(events, cast(TextIO, fh))


FORMATS: dict[str, ExportFormat] = {f.name: f for f in [
    ExportFormat("csv", "text/csv", ".csv", False, _csv, description="one flat row per event, with a header"),
    ExportFormat("jsonl", "application/x-ndjson", ".jsonl", False, _jsonl, description="one event record a line"),
    ExportFormat("parquet", "application/vnd.apache.parquet", ".parquet", True, _parquet,
                 description="typed columns (needs pyarrow)"),
    ExportFormat("gdelt", "text/tab-separated-values", ".CSV", False, _gdelt,
                 description="GDELT 2.0 Events: 61 tab-separated columns, no header"),
    ExportFormat("gdelt-mentions", "text/tab-separated-values", ".mentions.CSV", False, _gdelt_mentions,
                 mentions=True, description="GDELT 2.0 Mentions: one row per report"),
    ExportFormat("polecat", "text/tab-separated-values", ".tsv", False, _polecat,
                 description="POLECAT's 40 columns for PLOVER events, with a header"),
]}


def render(fmt: ExportFormat, events: Iterable[StoredEvent]) -> bytes:
    """The whole export of ``events`` in memory (for an HTTP answer)."""
    if fmt.binary:
        buf = io.BytesIO()
        fmt.write(events, buf)
        return buf.getvalue()
    text = io.StringIO()
    fmt.write(events, text)
    return text.getvalue().encode("utf-8")

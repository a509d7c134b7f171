"""``detente export``: the stored events that match the filters, in one of the field's file formats."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import IO, Any

import click

from detente.cli.common import db_option, err
from detente.cli.read import event_filter_options, make_filter, store_queries
from detente.export import FORMATS
from detente.export.parquet import ParquetUnavailable
from detente.query import DEFAULT_SORT, SORTS, QueryError

_FORMAT_HELP = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


@click.command()
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv", show_default=True,
              help=_FORMAT_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default="-",
              show_default=True, help="File to write ('-': standard output; Parquet needs a file).")
@click.option("--sort", help=f"One of {', '.join(SORTS)}; prefix - for descending.", default=DEFAULT_SORT,
              show_default=True)
@event_filter_options
@db_option
@click.pass_context
def export(ctx: click.Context, /, fmt: str, output: str, sort: str, **filters: Any) -> None:
    """Export the stored events that match the filters (the same as for `detente events`), all of them.

    \b
    Formats:
      csv             one flat row per event, with a header (snake_case columns)
      jsonl           one event record a line, as `detente extract` prints them
      parquet         typed columns (date32, int8 QuadClass, ...), for pandas, polars, DuckDB
      gdelt           GDELT 2.0 Events: its 61 columns in its order, tab-separated, no header
      gdelt-mentions  GDELT 2.0 Mentions: one row per report of an event
      polecat         POLECAT's 40 columns for PLOVER events, with a header

    Each event is written once, its reports merged (num_mentions, num_sources, num_articles), unless
    --mentions asks for every report; gdelt-mentions always has every report. docs/formats.md maps
    every column to its source.
    """
    kind = FORMATS[fmt]
    f = make_filter(filters)
    if kind.mentions:
        f = dataclasses.replace(f, mentions=True)
    if kind.binary and output == "-":
        raise click.UsageError(f"--format {fmt} writes a binary file: give it with -o FILE")
    queries = store_queries(ctx)
    try:
        rows = queries.iter_events(f, sort=sort)
        if output == "-":
            n = kind.write(rows, sys.stdout)
        else:
            n = _write_file(Path(output), kind.binary, lambda fh: kind.write(rows, fh))
    except QueryError as exc:
        raise click.BadParameter(exc.message, param_hint=exc.field) from exc
    except ParquetUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    err.print(f"{n} {'reports' if kind.mentions or f.mentions else 'events'} written"
              + ("" if output == "-" else f" to {output}"))


def _write_file(path: Path, binary: bool, write: Any) -> int:
    """Write through a temporary file beside ``path`` and move it in place: an interrupted export leaves no
    half-written file."""
    tmp = path.with_name(path.name + ".part")
    try:
        fh: IO[Any]
        with (tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="")) as fh:
            n: int = write(fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n

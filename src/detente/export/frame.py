"""Stored events as a DataFrame for notebooks: :func:`read_events` (``detente.read_events``)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from typing import Any

from detente.export import parquet


class FrameUnavailable(RuntimeError):
    """Neither pandas nor polars (or not pyarrow) is installed; the message says what to install."""


def _library(choice: str | None) -> str:
    for name in ([choice] if choice else ["pandas", "polars"]):
        if name not in ("pandas", "polars"):
            raise ValueError(f"library: {name!r} is neither 'pandas' nor 'polars'")
        if importlib.util.find_spec(name) is not None:
            return name
    raise FrameUnavailable(f"read_events needs {choice or 'pandas or polars'}: pip install {choice or 'pandas'}")


def read_events(db: str, *, library: str | None = None, sort: str | None = None, **filters: Any) -> Any:
    """The stored events of ``db`` (a file path or database URL) that match ``filters``, as a DataFrame.

    ``filters`` are those of ``detente events`` and ``/api/events`` (``actor``, ``country``, ``cameo``,
    ``quad_class``, ``plover``, ``q``, ``date_from``, ``date_to``, ``modality``, ``lang``, ``article``,
    ``min_confidence``, ``mentions``; dates as ``datetime.date`` or ``"YYYY-MM-DD"``). The frame is
    pandas' when pandas is installed, else polars' (``library`` picks one), with the columns and types
    of the Parquet export (``docs/formats.md``): ``published`` and ``day`` as dates, ``quad_class``
    int8, counts int32, CAMEO codes as strings. Needs pyarrow (``pip install 'detente[parquet]'``).
    """
    from detente.kb.base import default_kb
    from detente.query import EventFilter, Queries
    from detente.store.db import Store

    name = _library(library)
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise FrameUnavailable("read_events needs pyarrow: pip install 'detente[parquet]'") from exc
    for key in ("date_from", "date_to"):
        if isinstance(filters.get(key), str):
            try:
                filters[key] = dt.date.fromisoformat(filters[key])
            except ValueError:
                raise ValueError(f"{key}: {filters[key]!r} is not a date in the form YYYY-MM-DD") from None
    queries = Queries(Store(db, create=False), default_kb())
    rows = [parquet.to_row(ev) for ev in queries.iter_events(EventFilter.make(**filters), sort=sort)]
    table = pa.Table.from_pylist(rows, schema=parquet.schema())
    if name == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas(date_as_object=False)

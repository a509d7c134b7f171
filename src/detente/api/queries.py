"""The read queries now live in :mod:`detente.query`, shared with the CLI; the names stay importable here."""

from __future__ import annotations

from detente.query import SORTS, EventFilter, Queries, QueryError, decode_cursor, encode_cursor, parse_sort

__all__ = ["SORTS", "EventFilter", "Queries", "QueryError", "decode_cursor", "encode_cursor", "parse_sort"]

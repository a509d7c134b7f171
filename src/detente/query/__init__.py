"""The read model of stored events, one path for ``detente events``, the HTTP API and the dashboard.

- :mod:`~detente.query.filters`: :class:`EventFilter` (validated once), :class:`QueryError`, :func:`fold`
- :mod:`~detente.query.cursor`: the opaque keyset cursor, read as untrusted input
- :mod:`~detente.query.events`: the filters' SQL, sort orders, pages of events
- :mod:`~detente.query.stats`: timeline, actor pairs, network, top actors, the overview
- :mod:`~detente.query.actors`: :class:`Queries` (all of the above, actor profiles, articles)
- :mod:`~detente.query.search`: lemma full-text search
"""

from __future__ import annotations

from detente.query.actors import Queries
from detente.query.cursor import decode_cursor, encode_cursor
from detente.query.events import DEFAULT_SORT, SORTS, parse_sort
from detente.query.filters import MODALITIES, EventFilter, QueryError
from detente.store.fold import fold

__all__ = [
    "DEFAULT_SORT",
    "MODALITIES",
    "SORTS",
    "EventFilter",
    "Queries",
    "QueryError",
    "decode_cursor",
    "encode_cursor",
    "fold",
    "parse_sort",
]

"""The state of the sources `detente watch` polls, kept in the store so a restarted watcher resumes.

An item is marked stored after its article is saved: a watcher killed between the two fetches the
item again and the store, which keys articles by their id, saves it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from detente.store import schema as S
from detente.store.write import upsert_insert


@dataclass(frozen=True)
class SourceState:
    """One source's state: the last answer's validators, failures in a row, backoff, health."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll: str | None = None
    last_poll: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    stored: int = 0

    def but(self, **changes: Any) -> SourceState:
        """A copy with ``changes``."""
        return replace(self, **changes)


def source_state(engine: Engine, url: str) -> SourceState:
    """The stored state of ``url`` (a fresh one when it was never polled)."""
    with engine.connect() as conn:
        row = conn.execute(select(S.sources).where(S.sources.c.url == url)).mappings().first()
    return SourceState(**dict(row)) if row is not None else SourceState(url)


def all_sources(engine: Engine) -> list[SourceState]:
    """Every polled source's state, by URL."""
    with engine.connect() as conn:
        rows = conn.execute(select(S.sources).order_by(S.sources.c.url)).mappings().all()
    return [SourceState(**dict(r)) for r in rows]


def save_source(engine: Engine, state: SourceState) -> None:
    """Store ``state`` (insert or replace)."""
    values = {f.name: getattr(state, f.name) for f in fields(state)}
    with engine.begin() as conn:
        conn.execute(S.sources.delete().where(S.sources.c.url == state.url))
        conn.execute(S.sources.insert().values(**values))


def seen_items(engine: Engine, source: str, urls: Iterable[str]) -> set[str]:
    """The item URLs among ``urls`` whose articles are stored already."""
    wanted = list(dict.fromkeys(urls))
    seen: set[str] = set()
    with engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            q = select(S.source_items.c.url).where(S.source_items.c.source == source, S.source_items.c.url.in_(chunk))
            seen.update(conn.execute(q).scalars())
    return seen


def mark_item(engine: Engine, source: str, url: str, article_id: str | None) -> None:
    """Record that the item ``url`` of ``source`` is stored (as ``article_id``); a second mark is a no-op."""
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with engine.begin() as conn:
        ins = upsert_insert(conn)
        conn.execute(ins(S.source_items).values(source=source, url=url, article_id=article_id, at=at)
                     .on_conflict_do_nothing())

"""Stored events: the SQL of the filters, the sort orders and keyset pages, one event by id.

``detente events``, ``/api/events`` and the dashboard's tables all read events through
:meth:`EventQuery.events`, so they give the same events in the same order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, literal, or_, select, tuple_

from detente.kb.base import KnowledgeBase
from detente.query.cursor import decode_cursor, encode_cursor
from detente.query.filters import EventFilter, QueryError
from detente.query.search import matching_article_ids
from detente.records import EventPage, EventRecord, StoredEvent
from detente.store import schema as S
from detente.store.db import Store, event_day
from detente.store.fold import SQL_NAME, fold
from detente.store.stories import StorySummary

E = S.events
D = S.event_docs
A = S.articles

# sort keys users may ask for → column; each is paired with the event id to make the order total
SORTS: dict[str, Any] = {
    "date": E.c.day,
    "goldstein": E.c.goldstein,
    "cameo": E.c.cameo,
    "quad_class": E.c.quad_class,
    "source": E.c.source_name,
    "target": E.c.target_name,
    "lang": E.c.lang,
    "modality": E.c.modality,
}
DEFAULT_SORT = "-date"
_EVENT_PREFIX = re.compile(r"[0-9a-f]{1,40}")
_CHUNK = 500  # ids per IN (...) when the documents of a page are read


def parse_sort(sort: str | None) -> tuple[str, bool]:
    """Split ``-date`` into ("date", descending); an unknown key is a QueryError on ``sort``."""
    sort = sort or DEFAULT_SORT
    key, desc = (sort[1:], True) if sort.startswith("-") else (sort, False)
    if key not in SORTS:
        raise QueryError("sort", f"unknown sort {sort[:40]!r}; use one of {', '.join(SORTS)} (prefix - for descending)")
    return key, desc


def sort_expr(key: str) -> Any:
    """The SQL expression a sort key orders by (text columns with NULL as "")."""
    col = SORTS[key]
    return func.coalesce(col, "") if key in ("source", "target", "lang") else col


class EventQuery:
    """Filters, pages and single events over one store, with the knowledge base for actor names."""

    def __init__(self, store: Store, kb: KnowledgeBase) -> None:
        self.store = store
        self.kb = kb

    # ---- filters -------------------------------------------------------------------------------
    def actor_ids(self, actor: str) -> list[str]:
        """KB ids an ``actor`` filter means: an id itself, else the actors whose names match."""
        if actor in self.kb.actors:
            return [actor]
        return [a.id for a in self.kb.search(actor, limit=20)]

    def _folded(self, column: Any) -> Any:
        """``column`` casefolded in SQL the way :func:`fold` does it in Python."""
        if self.store.is_sqlite:
            return getattr(func, SQL_NAME)(column)  # registered on every connection (store.fold)
        return func.replace(func.lower(column), "ё", "е")

    def actor_condition(self, actor: str) -> ColumnElement[bool]:
        """Events with the actor as source or target: its KB ids, else its name or mention, in any case."""
        ids = self.actor_ids(actor)
        if not ids:
            needle = fold(actor)
            cols = (E.c.source_name, E.c.target_name, E.c.source_text, E.c.target_text)
            return or_(*(self._folded(c).contains(needle, autoescape=True) for c in cols))
        alts: list[ColumnElement[bool]] = [E.c.source_kb_id.in_(ids), E.c.target_kb_id.in_(ids)]
        isos = [a.country for i in ids if (a := self.kb.actors[i]).kind == "country" and a.country]
        if isos:  # a country actor also stands for events coded with the country but no KB actor
            alts.append(and_(E.c.source_kb_id.is_(None), E.c.source_country.in_(isos)))
            alts.append(and_(E.c.target_kb_id.is_(None), E.c.target_country.in_(isos)))
        return or_(*alts)

    def date_conditions(self, f: EventFilter) -> list[ColumnElement[bool]]:
        """The date bounds; bounds beyond the stored days are left out, so a scan may use any index."""
        if not (f.date_from or f.date_to):
            return []
        first, last = self.day_range()
        lo = f.date_from.isoformat() if f.date_from else ""
        conds = [E.c.day >= lo if lo > first else E.c.day != ""]  # undated events never match
        if f.date_to and f.date_to.isoformat() < last:
            conds.append(E.c.day <= f.date_to.isoformat())
        return conds

    def conditions(self, f: EventFilter) -> list[ColumnElement[bool]]:
        """SQL conditions for the filters."""
        conds: list[ColumnElement[bool]] = [] if f.mentions else [E.c.merged_into.is_(None)]
        if f.actor:
            conds.append(self.actor_condition(f.actor))
        if f.country:
            iso = f.country.upper()
            conds.append(or_(E.c.source_country == iso, E.c.target_country == iso))
        if f.cameo:
            conds.append(E.c.cameo_root == f.cameo if len(f.cameo) == 2 else E.c.cameo.like(f"{f.cameo}%"))
        equal = {E.c.quad_class: f.quad_class, E.c.plover: f.plover and f.plover.upper(),
                 E.c.modality: f.modality, E.c.lang: f.lang}
        conds.extend(col == value for col, value in equal.items() if value is not None)
        conds.extend(self.date_conditions(f))
        if f.article:
            conds.append(E.c.article_id.like(f"{f.article}%"))
        if f.min_confidence is not None:
            conds.append(E.c.confidence >= f.min_confidence)
        if f.q:
            conds.append(E.c.article_id.in_(matching_article_ids(self.store, f.q)))
        return conds

    def day_range(self) -> tuple[str, str]:
        """The first and last day of the dated events ("" and "" when there are none)."""
        with self.store.engine.connect() as conn:
            first = conn.execute(select(func.min(E.c.day)).where(E.c.day > "")).scalar()
            last = conn.execute(select(func.max(E.c.day))).scalar()
        return first or "", last or ""

    # ---- events --------------------------------------------------------------------------------
    def events(self, f: EventFilter, *, sort: str | None = None, cursor: str | None = None,
               limit: int = 50) -> EventPage:
        """One page of events, ``{"events": [...], "next": cursor or None, "sort": ..., "limit": ...}``.

        The order is total (the sort key, then the event id), so the cursor of one page starts the next.
        """
        key, desc = parse_sort(sort)
        expr = sort_expr(key)
        conds = self.conditions(f)
        if cursor:
            value, last_id = decode_cursor(cursor, key)
            pair = tuple_(expr, E.c.id)
            bound = tuple_(literal(value), literal(last_id))
            conds.append(pair < bound if desc else pair > bound)
        order = [expr.desc(), E.c.id.desc()] if desc else [expr.asc(), E.c.id.asc()]
        q = select(E.c.id, expr.label("k")).where(*conds).order_by(*order).limit(limit + 1)
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
            ids = [r[0] for r in rows[:limit]]
            docs: dict[str, str] = {}
            for i in range(0, len(ids), _CHUNK):
                docs.update(conn.execute(select(D.c.id, D.c.json).where(D.c.id.in_(ids[i : i + _CHUNK]))).all())
            events = [_stored(docs[r[0]]) for r in rows[:limit]]
            self._attach_sources(conn, events)
        more = len(rows) > limit
        rows = rows[:limit]
        nxt = encode_cursor(rows[-1][1], rows[-1][0]) if more and rows else None
        return {"events": events, "next": nxt, "sort": ("-" if desc else "") + key, "limit": limit}

    def iter_events(self, f: EventFilter, *, sort: str | None = None, page: int = 1000) -> Iterator[StoredEvent]:
        """Every event that matches, in the order of ``sort``, read a page at a time (for exports)."""
        cursor: str | None = None
        while True:
            got = self.events(f, sort=sort, cursor=cursor, limit=page)
            yield from got["events"]
            cursor = got["next"]
            if not cursor:
                return

    @staticmethod
    def _attach_sources(conn: Any, events: list[StoredEvent]) -> None:
        """Give each event its article's url and outlet (what exports name the source by)."""
        aids = sorted({ev["article_id"] for ev in events})
        found: dict[str, tuple[str | None, str | None]] = {}
        for i in range(0, len(aids), _CHUNK):
            rows = conn.execute(select(A.c.id, A.c.url, A.c.outlet).where(A.c.id.in_(aids[i : i + _CHUNK])))
            found.update({r[0]: (r[1], r[2]) for r in rows})
        for ev in events:
            ev["url"], ev["outlet"] = found.get(ev["article_id"], (None, None))

    def story_events(self, article_ids: list[str]) -> list[StoredEvent]:
        """The events of a story's articles, each once (reports merged), by day then id."""
        events: list[StoredEvent] = []
        for aid in article_ids:
            events.extend(self.events(EventFilter(article=aid), sort="date", limit=1000)["events"])
        return sorted(events, key=lambda e: (e.get("day") or "", e["event_id"]))

    def stories(self, f: EventFilter, *, limit: int = 50, min_articles: int = 1) -> list[StorySummary]:
        """The stored stories, newest first; with filters set, those with an event that matches them."""
        among = select(E.c.story).where(*self.conditions(f), E.c.story.is_not(None)) if f.active else None
        return self.store.stories(limit=limit, min_articles=min_articles, among=among)

    def count(self, f: EventFilter) -> int:
        """How many events match."""
        q = select(func.count()).select_from(E).where(*self.conditions(f))
        with self.store.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def event(self, event_id: str) -> EventRecord | None:
        """One event by id (or unique id prefix), with its article's url and outlet; None for none, several, or
        what is no id."""
        if not _EVENT_PREFIX.fullmatch(event_id):
            return None
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(D.c.json).join_from(E, D, D.c.id == E.c.id)
                .where(E.c.id.like(f"{event_id}%")).limit(2)
            ).all()
            if len(rows) != 1:
                return None
            ev = cast(StoredEvent, json.loads(rows[0][0]))
            self._attach_sources(conn, [ev])
        return ev


def _stored(doc: str) -> StoredEvent:
    ev = cast(StoredEvent, json.loads(doc))
    ev["day"] = event_day(ev)
    return ev

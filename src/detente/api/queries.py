"""The read queries behind the HTTP API and the dashboard: one function per view, plain dicts out.

Every page of the dashboard and every ``/api`` route calls these functions, so the HTML and the
JSON show the same rows. Filters are an :class:`EventFilter`; lists of events are paged with an
opaque keyset cursor, so a page costs the same however deep it is.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, func, literal, or_, select, tuple_

from detente.events.cameo import QUAD_CLASSES
from detente.kb.base import KnowledgeBase
from detente.kb.model import Actor
from detente.store import schema as S
from detente.store.db import Store, event_day

E = S.events
D = S.event_docs

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


class QueryError(ValueError):
    """A parameter that cannot be used; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters every view shares (and keeps in its URL)."""

    actor: str | None = None
    country: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    plover: str | None = None
    modality: str | None = None
    lang: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = None

    def params(self, **changes: Any) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out), with ``changes`` applied."""
        out: dict[str, str] = {}
        for key, value in {**asdict(self), **changes}.items():
            if value is None or value == "":
                continue
            out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out

    def query_string(self, **changes: Any) -> str:
        """The filters as a URL query string (without the ``?``)."""
        return urlencode(self.params(**changes))

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return bool(self.params())


def encode_cursor(value: Any, event_id: str) -> str:
    """An opaque cursor for the row after (value, id)."""
    raw = json.dumps([value, event_id], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, str]:
    """Read a cursor made by :func:`encode_cursor`; a damaged one is a :class:`QueryError`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, event_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise QueryError("cursor", "not a cursor this server made; start again without it") from None
    if not isinstance(event_id, str):
        raise QueryError("cursor", "not a cursor this server made; start again without it")
    return value, event_id


def parse_sort(sort: str | None) -> tuple[str, bool]:
    """Split ``-date`` into ("date", descending)."""
    sort = sort or DEFAULT_SORT
    key, desc = (sort[1:], True) if sort.startswith("-") else (sort, False)
    if key not in SORTS:
        raise QueryError("sort", f"unknown sort {sort!r}; use one of {', '.join(SORTS)} (prefix - for descending)")
    return key, desc


def _sort_expr(key: str) -> Any:
    col = SORTS[key]
    return func.coalesce(col, "") if key in ("source", "target", "lang") else col


class Queries:
    """Read-only queries over one store, with the knowledge base for names and profiles."""

    def __init__(self, store: Store, kb: KnowledgeBase) -> None:
        self.store = store
        self.kb = kb

    # ---- filters -------------------------------------------------------------------------------
    def actor_ids(self, actor: str) -> list[str]:
        """KB ids an ``actor`` filter means: an id itself, else the actors whose names match."""
        if actor in self.kb.actors:
            return [actor]
        return [a.id for a in self.kb.search(actor, limit=20)]

    def conditions(self, f: EventFilter) -> list[ColumnElement[bool]]:
        """SQL conditions for the filters."""
        conds: list[ColumnElement[bool]] = []
        if f.actor:
            ids = self.actor_ids(f.actor)
            alts: list[ColumnElement[bool]] = [E.c.source_kb_id.in_(ids), E.c.target_kb_id.in_(ids)]
            isos = [a.country for i in ids if (a := self.kb.actors[i]).kind == "country" and a.country]
            if isos:  # a country actor also stands for events coded with the country but no KB actor
                alts.append(and_(E.c.source_kb_id.is_(None), E.c.source_country.in_(isos)))
                alts.append(and_(E.c.target_kb_id.is_(None), E.c.target_country.in_(isos)))
            if not ids:
                like = f"%{f.actor}%"
                alts = [E.c.source_name.ilike(like), E.c.target_name.ilike(like),
                        E.c.source_text.ilike(like), E.c.target_text.ilike(like)]
            conds.append(or_(*alts))
        if f.country:
            iso = f.country.upper()
            conds.append(or_(E.c.source_country == iso, E.c.target_country == iso))
        if f.cameo:
            conds.append(E.c.cameo_root == f.cameo if len(f.cameo) == 2 else E.c.cameo.like(f"{f.cameo}%"))
        if f.quad_class is not None:
            conds.append(E.c.quad_class == f.quad_class)
        if f.plover:
            conds.append(E.c.plover == f.plover.upper())
        if f.modality:
            conds.append(E.c.modality == f.modality)
        if f.lang:
            conds.append(E.c.lang == f.lang)
        if f.date_from or f.date_to:
            # bounds beyond the stored days are left out, so a scan may use whichever index fits best
            first, last = self.day_range()
            lo = f.date_from.isoformat() if f.date_from else ""
            conds.append(E.c.day >= lo if lo > first else E.c.day != "")  # undated events never match
            if f.date_to and f.date_to.isoformat() < last:
                conds.append(E.c.day <= f.date_to.isoformat())
        if f.q:
            conds.append(E.c.article_id.in_(self.store.matching_article_ids(f.q)))
        return conds

    def day_range(self) -> tuple[str, str]:
        """The first and last day of the dated events ("" and "" when there are none)."""
        with self.store.engine.connect() as conn:
            first = conn.execute(select(func.min(E.c.day)).where(E.c.day > "")).scalar()
            last = conn.execute(select(func.max(E.c.day))).scalar()
        return first or "", last or ""

    # ---- events --------------------------------------------------------------------------------
    def events(
        self, f: EventFilter, *, sort: str | None = None, cursor: str | None = None, limit: int = 50
    ) -> dict[str, Any]:
        """One page of events, ``{"events": [...], "next": cursor or None, "sort": ...}``."""
        key, desc = parse_sort(sort)
        expr = _sort_expr(key)
        conds = self.conditions(f)
        if cursor:
            value, last_id = decode_cursor(cursor)
            pair = tuple_(expr, E.c.id)
            bound = tuple_(literal(value), literal(last_id))
            conds.append(pair < bound if desc else pair > bound)
        order = [expr.desc(), E.c.id.desc()] if desc else [expr.asc(), E.c.id.asc()]
        q = select(E.c.id, expr.label("k")).where(*conds).order_by(*order).limit(limit + 1)
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
            docs = dict(conn.execute(select(D.c.id, D.c.json).where(D.c.id.in_([r[0] for r in rows]))).all())
        more = len(rows) > limit
        rows = rows[:limit]
        events = [json.loads(docs[r[0]]) for r in rows]
        for ev in events:
            ev["day"] = event_day(ev)
        nxt = encode_cursor(rows[-1][1], rows[-1][0]) if more and rows else None
        return {"events": events, "next": nxt, "sort": ("-" if desc else "") + key, "limit": limit}

    def count(self, f: EventFilter) -> int:
        """How many events match."""
        q = select(func.count()).select_from(E).where(*self.conditions(f))
        with self.store.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event by id (or unique id prefix)."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(D.c.json).join_from(E, D, D.c.id == E.c.id).where(E.c.id.like(f"{event_id}%")).limit(2)
            ).all()
        return json.loads(rows[0][0]) if len(rows) == 1 else None

    # ---- aggregates ----------------------------------------------------------------------------
    def _daily(self, f: EventFilter) -> list[tuple[str, int, int, float]]:
        """(day, QuadClass, events, Goldstein sum) of the dated events that match."""
        q = (
            select(E.c.day, E.c.quad_class, func.count(), func.sum(E.c.goldstein))
            .where(and_(E.c.day != "", *self.conditions(f)))
            .group_by(E.c.day, E.c.quad_class)
        )
        with self.store.engine.connect() as conn:
            return [(str(d), int(qc), int(n), float(g or 0.0)) for d, qc, n, g in conn.execute(q)]

    def timeline(
        self, f: EventFilter, interval: str = "day", daily: list[tuple[str, int, int, float]] | None = None
    ) -> dict[str, Any]:
        """Counts and Goldstein sums per day or ISO week (by its Monday), by QuadClass, empty periods filled."""
        if interval not in ("day", "week"):
            raise QueryError("interval", "use day or week")
        cells: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0, 0.0])
        for day, quad, n, gsum in self._daily(f) if daily is None else daily:
            try:
                period = _period(dt.date.fromisoformat(day), interval)
            except ValueError:
                continue
            cell = cells[(period, quad)]
            cell[0] += n
            cell[1] += gsum
        periods = _fill_periods(sorted({p for p, _ in cells}), interval)
        series: list[dict[str, Any]] = []
        for quad in (1, 2, 3, 4):
            series.append({
                "quad_class": quad,
                "label": QUAD_CLASSES[quad],
                "events": [int(cells[(p, quad)][0]) if (p, quad) in cells else 0 for p in periods],
                "goldstein_sum": [round(cells[(p, quad)][1], 2) if (p, quad) in cells else 0.0 for p in periods],
            })
        total = sum(sum(s["events"]) for s in series)
        return {"interval": interval, "periods": periods, "series": series, "total": total}

    def _pairs(self, f: EventFilter) -> dict[tuple[str | None, str | None], list[float]]:
        """Events and Goldstein sum per (source, target) actor pair, keys made canonical; one scan."""
        cols = (E.c.source_kb_id, E.c.source_country, E.c.target_kb_id, E.c.target_country)
        q = select(*cols, func.count(), func.sum(E.c.goldstein)).where(*self.conditions(f)).group_by(*cols)
        pairs: dict[tuple[str | None, str | None], list[float]] = {}
        with self.store.engine.connect() as conn:
            for s_kb, s_iso, t_kb, t_iso, n, g in conn.execute(q):  # grouped in the order of ix_events_pairs
                s, t = s_kb or s_iso, t_kb or t_iso
                key = (self.canonical(s) if s else None, self.canonical(t) if t else None)
                cell = pairs.setdefault(key, [0, 0.0])
                cell[0] += int(n)
                cell[1] += float(g or 0.0)
        return pairs

    def network(self, f: EventFilter, limit: int = 60, pairs: dict[Any, list[float]] | None = None) -> dict[str, Any]:
        """Directed actor pairs with counts and mean Goldstein; nodes sized by their events in the graph."""
        pairs = self._pairs(f) if pairs is None else pairs
        dyads = [(a, b, c) for (a, b), c in pairs.items() if a and b and a != b]
        top = sorted(dyads, key=lambda x: (-x[2][0], x[0], x[1]))[:limit]
        activity: Counter[str] = Counter()
        edges = []
        for a, b, (cnt, gsum) in top:
            activity[a] += int(cnt)
            activity[b] += int(cnt)
            edges.append({"source": a, "target": b, "source_name": self.actor_brief(a)["name"],
                          "target_name": self.actor_brief(b)["name"], "events": int(cnt),
                          "goldstein_mean": round(gsum / cnt, 2)})
        nodes = [{**self.actor_brief(key), "events": cnt} for key, cnt in activity.most_common()]
        return {"nodes": nodes, "edges": edges}

    def top_actors(self, f: EventFilter, limit: int = 10, pairs: dict[Any, list[float]] | None = None) -> list[
            dict[str, Any]]:
        """The actors in the most events (as source or target), with their mean Goldstein."""
        pairs = self._pairs(f) if pairs is None else pairs
        per: dict[str, list[float]] = {}
        for (a, b), (cnt, gsum) in pairs.items():
            for key in {a, b} - {None}:
                cell = per.setdefault(str(key), [0, 0.0])
                cell[0] += cnt
                cell[1] += gsum
        top = sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [{**self.actor_brief(k), "events": int(c), "goldstein_mean": round(g / c, 2)} for k, (c, g) in top]

    def overview(self, f: EventFilter) -> dict[str, Any]:
        """Everything the overview page shows: timeline, top actors and dyads, latest events, counts."""
        daily = self._daily(f)
        days = sorted({d for d, *_ in daily})
        span = (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days if days else 0
        interval = "week" if span > 120 else "day"
        pairs = self._pairs(f)
        mix = self.breakdown(f, E.c.lang, E.c.modality)
        return {
            "total": sum(n for (a, b), (n, _) in pairs.items()),
            "timeline": self.timeline(f, interval, daily),
            "top_actors": self.top_actors(f, 10, pairs),
            "top_dyads": self.network(f, 10, pairs)["edges"],
            "latest": self.events(f, limit=10)["events"],
            "langs": _sum_by(mix, 0),
            "modalities": _sum_by(mix, 1),
        }

    def breakdown(self, f: EventFilter, *columns: Any) -> dict[tuple[str, ...], int]:
        """Event counts per combination of values of ``columns``."""
        q = select(*columns, func.count()).where(*self.conditions(f)).group_by(*columns)
        with self.store.engine.connect() as conn:
            return {tuple(str(v) for v in row[:-1]): int(row[-1]) for row in conn.execute(q)}

    # ---- actors --------------------------------------------------------------------------------
    def canonical(self, key: str) -> str:
        """An actor key from the store (a KB id or an ISO country code) as a KB id when there is one."""
        if key in self.kb.actors:
            return key
        country = self.kb.country(key)
        return country.id if country is not None else key

    def actor_brief(self, key: str) -> dict[str, Any]:
        """Id, English name, kind and country of an actor key."""
        actor = self.kb.actors.get(key)
        if actor is None:
            return {"id": key, "name": key, "kind": "unknown", "country": None}
        return {"id": actor.id, "name": actor.name, "kind": actor.kind, "country": actor.country}

    def search_actors(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """KB actors whose name in any language contains ``query``, with their event counts."""
        found = self.kb.search(query, limit=limit)
        counts = self._event_counts([a.id for a in found])
        return [{**_actor_summary(a), "events": counts.get(a.id, 0)} for a in found]

    def _event_counts(self, ids: list[str]) -> dict[str, int]:
        if not ids:
            return {}
        out: Counter[str] = Counter()
        with self.store.engine.connect() as conn:
            for col in (E.c.source_kb_id, E.c.target_kb_id):
                for key, n in conn.execute(select(col, func.count()).where(col.in_(ids)).group_by(col)):
                    out[key] += int(n)
        return dict(out)

    def actor(self, actor_id: str, f: EventFilter | None = None) -> dict[str, Any] | None:
        """An actor's profile: names in every language, offices, event counts and top partners."""
        key = self.canonical(actor_id)
        actor = self.kb.actors.get(key)
        if actor is None:
            return None
        # the actor filter matches the actor (and, for a country, events coded with its country alone),
        # so the pairs of the filtered events hold every count the profile needs
        pairs = self._pairs(replace(f or EventFilter(), actor=actor.id))
        as_source = as_target = 0
        partners: dict[str, list[float]] = {}
        for (a, b), (cnt, gsum) in pairs.items():
            as_source += int(cnt) if a == actor.id else 0
            as_target += int(cnt) if b == actor.id else 0
            other = b if a == actor.id else a
            if other and other != actor.id:
                cell = partners.setdefault(other, [0, 0.0])
                cell[0] += cnt
                cell[1] += gsum
        top = sorted(partners.items(), key=lambda kv: (-kv[1][0], kv[0]))[:15]
        return {
            **_actor_summary(actor),
            "events": {"as_source": as_source, "as_target": as_target, "total": int(sum(c for c, _ in pairs.values()))},
            "partners": [{**self.actor_brief(k), "events": int(c), "goldstein_mean": round(g / c, 2)}
                         for k, (c, g) in top],
        }

    # ---- articles ------------------------------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article with every layer (entities, times, quotes, events), offsets into ``text``."""
        art = self.store.article(article_id)
        if art is None:
            return None
        art.pop("lemmas", None)
        return art

    def search_articles(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching a lemma full-text query, best first, with a snippet."""
        return self.store.search(query, limit=limit, marks=("\x02", "\x03"))


def _actor_summary(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "code": actor.code,
        "wikidata": actor.wikidata,
        "names": {lang: names for lang, names in actor.names.items() if names},
        "offices": [
            {"role": o.role, "country": o.country, "org": o.org,
             "start": o.start.isoformat() if o.start else None, "end": o.end.isoformat() if o.end else None}
            for o in actor.offices
        ],
    }


def _sum_by(counts: dict[tuple[str, ...], int], index: int) -> dict[str, int]:
    out: Counter[str] = Counter()
    for key, n in counts.items():
        out[key[index]] += n
    return dict(out)


def _period(d: dt.date, interval: str) -> str:
    if interval == "day":
        return d.isoformat()
    monday = d - dt.timedelta(days=d.weekday())
    return monday.isoformat()


def _fill_periods(periods: list[str], interval: str, cap: int = 4000) -> list[str]:
    """Every period between the first and the last (weeks by their Monday), or ``periods`` if too many."""
    if len(periods) < 2:
        return periods
    first, last = dt.date.fromisoformat(periods[0]), dt.date.fromisoformat(periods[-1])
    step = dt.timedelta(days=1 if interval == "day" else 7)
    if (last - first) // step > cap:
        return periods
    out, d = [], first
    while d <= last:
        out.append(d.isoformat())
        d += step
    return out

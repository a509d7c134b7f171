"""Aggregates over the filtered events: timeline, actor pairs (network, top actors), the overview page."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import and_, func, select, union

from detente.events.cameo import QUAD_CLASSES
from detente.query.events import E, EventQuery
from detente.query.filters import EventFilter, QueryError

Pairs = dict[tuple[str | None, str | None], list[float]]
Daily = list[tuple[str, int, int, float]]


class StatsQuery(EventQuery):
    """Counts and Goldstein sums of the events that match a filter."""

    # ---- actor keys ----------------------------------------------------------------------------
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

    # ---- places --------------------------------------------------------------------------------
    def places(self, f: EventFilter, limit: int = 300) -> dict[str, Any]:
        """Where the matching events are: per country, the events whose source, target or stated place is
        in it (each event once per country); per stated place with coordinates, its events."""
        conds = self.conditions(f)
        by_country = union(*(select(E.c.id.label("id"), col.label("country")).where(*conds, col.is_not(None))
                             for col in (E.c.source_country, E.c.target_country, E.c.location_country))).subquery()
        countries_q = select(by_country.c.country, func.count()).group_by(by_country.c.country)
        places_q = (select(E.c.location_name, E.c.location_country, func.avg(E.c.location_lat),
                           func.avg(E.c.location_lon), func.count())
                    .where(*conds, E.c.location_lat.is_not(None), E.c.location_lon.is_not(None))
                    .group_by(E.c.location_name, E.c.location_country)
                    .order_by(func.count().desc(), E.c.location_name).limit(limit))
        with self.store.engine.connect() as conn:
            per_country = sorted(((str(c), int(n)) for c, n in conn.execute(countries_q)), key=lambda x: (-x[1], x[0]))
            places = [{"name": name, "country": country, "lat": round(float(lat), 4), "lon": round(float(lon), 4),
                       "events": int(n)} for name, country, lat, lon, n in conn.execute(places_q)]
        countries = []
        for iso, n in per_country:
            actor = self.kb.country(iso)
            countries.append({"country": iso, "name": actor.name if actor else iso, "events": n})
        return {"countries": countries, "places": places}

    # ---- time ----------------------------------------------------------------------------------
    def daily(self, f: EventFilter) -> Daily:
        """(day, QuadClass, events, Goldstein sum) of the dated events that match."""
        q = (
            select(E.c.day, E.c.quad_class, func.count(), func.sum(E.c.goldstein))
            .where(and_(E.c.day != "", *self.conditions(f)))
            .group_by(E.c.day, E.c.quad_class)
        )
        with self.store.engine.connect() as conn:
            return [(str(d), int(qc), int(n), float(g or 0.0)) for d, qc, n, g in conn.execute(q)]

    def timeline(self, f: EventFilter, interval: str = "day", daily: Daily | None = None) -> dict[str, Any]:
        """Counts and Goldstein sums per day or ISO week (by its Monday), by QuadClass, empty periods filled."""
        if interval not in ("day", "week"):
            raise QueryError("interval", "interval: use day or week")
        cells: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0, 0.0])
        for day, quad, n, gsum in self.daily(f) if daily is None else daily:
            try:
                period = _period(dt.date.fromisoformat(day), interval)
            except ValueError:
                continue
            cell = cells[(period, quad)]
            cell[0] += n
            cell[1] += gsum
        periods = fill_periods(sorted({p for p, _ in cells}), interval)
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

    # ---- actor pairs ---------------------------------------------------------------------------
    def pairs(self, f: EventFilter) -> Pairs:
        """Events and Goldstein sum per (source, target) actor pair, keys made canonical; one scan."""
        cols = (E.c.source_kb_id, E.c.source_country, E.c.target_kb_id, E.c.target_country)
        q = select(*cols, func.count(), func.sum(E.c.goldstein)).where(*self.conditions(f)).group_by(*cols)
        pairs: Pairs = {}
        with self.store.engine.connect() as conn:
            for s_kb, s_iso, t_kb, t_iso, n, g in conn.execute(q):  # grouped in the order of ix_events_pairs
                s, t = s_kb or s_iso, t_kb or t_iso
                key = (self.canonical(s) if s else None, self.canonical(t) if t else None)
                cell = pairs.setdefault(key, [0, 0.0])
                cell[0] += int(n)
                cell[1] += float(g or 0.0)
        return pairs

    def network(self, f: EventFilter, limit: int = 60, pairs: Pairs | None = None) -> dict[str, Any]:
        """Directed actor pairs with counts and mean Goldstein; nodes sized by their events in the graph."""
        pairs = self.pairs(f) if pairs is None else pairs
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

    def top_actors(self, f: EventFilter, limit: int = 10, pairs: Pairs | None = None) -> list[dict[str, Any]]:
        """The actors in the most events (as source or target), with their mean Goldstein."""
        pairs = self.pairs(f) if pairs is None else pairs
        per: dict[str, list[float]] = {}
        for (a, b), (cnt, gsum) in pairs.items():
            for key in {a, b} - {None}:
                cell = per.setdefault(str(key), [0, 0.0])
                cell[0] += cnt
                cell[1] += gsum
        top = sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [{**self.actor_brief(k), "events": int(c), "goldstein_mean": round(g / c, 2)} for k, (c, g) in top]

    # ---- the overview --------------------------------------------------------------------------
    def overview(self, f: EventFilter) -> dict[str, Any]:
        """Everything the overview page shows: timeline, top actors and dyads, latest events, counts."""
        daily = self.daily(f)
        days = sorted({d for d, *_ in daily})
        span = (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days if days else 0
        interval = "week" if span > 120 else "day"
        pairs = self.pairs(f)
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


def fill_periods(periods: list[str], interval: str, cap: int = 4000) -> list[str]:
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

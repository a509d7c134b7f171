"""Actor search and profiles, articles and article search: the rest of :class:`Queries`."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from detente.kb.model import Actor
from detente.query.events import E
from detente.query.filters import EventFilter, check_text
from detente.query.search import search_articles
from detente.query.stats import StatsQuery
from detente.records import ArticleHit, StoredArticle


class Queries(StatsQuery):
    """Every read query over one store: the CLI, each ``/api`` route and each page call these methods."""

    # ---- actors --------------------------------------------------------------------------------
    def search_actors(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """KB actors whose name in any language contains ``query``, with their event counts."""
        found = self.kb.search(check_text("q", query) or "", limit=limit)
        counts = self._event_counts([a.id for a in found])
        return [{**actor_summary(a), "events": counts.get(a.id, 0)} for a in found]

    def _event_counts(self, ids: list[str]) -> dict[str, int]:
        if not ids:
            return {}
        out: Counter[str] = Counter()
        with self.store.engine.connect() as conn:
            for col in (E.c.source_kb_id, E.c.target_kb_id):
                query = select(col, func.count()).where(col.in_(ids), E.c.merged_into.is_(None)).group_by(col)
                for key, n in conn.execute(query):  # events, not reports: merged reports are left out
                    out[key] += int(n)
        return dict(out)

    def actor_names(self, ids: list[str]) -> dict[str, str]:
        """The KB's English name of each of ``ids`` (the id itself for one the KB does not know)."""
        out: dict[str, str] = {}
        for i in ids:
            actor = self.kb.actors.get(self.canonical(i))
            out[i] = actor.name if actor is not None and actor.name else i
        return out

    def actor(self, actor_id: str, f: EventFilter | None = None) -> dict[str, Any] | None:
        """An actor's profile: names in every language, offices, event counts and top partners."""
        key = self.canonical(actor_id)
        actor = self.kb.actors.get(key)
        if actor is None:
            return None
        # the actor filter matches the actor (and, for a country, events coded with its country alone),
        # so the pairs of the filtered events hold every count the profile needs
        pairs = self.pairs(replace(f or EventFilter(), actor=actor.id))
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
            **actor_summary(actor),
            "events": {"as_source": as_source, "as_target": as_target, "total": int(sum(c for c, _ in pairs.values()))},
            "partners": [{**self.actor_brief(k), "events": int(c), "goldstein_mean": round(g / c, 2)}
                         for k, (c, g) in top],
        }

    # ---- articles ------------------------------------------------------------------------------
    def article(self, article_id: str) -> StoredArticle | None:
        """An article with every layer (entities, times, quotes, events), offsets into ``text``."""
        if check_text("article_id", article_id, 1000) is None:
            return None
        art = self.store.article(article_id)
        if art is None:
            return None
        art.pop("lemmas", None)
        return art

    def search_articles(self, query: str, limit: int = 20) -> list[ArticleHit]:
        """Articles matching a lemma full-text query, best first, with a snippet (matches between \\x02 and \\x03)."""
        return search_articles(self.store, query, limit=limit, marks=("\x02", "\x03"))


def actor_summary(actor: Actor) -> dict[str, Any]:
    """An actor's id, names in every language, codes and offices."""
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

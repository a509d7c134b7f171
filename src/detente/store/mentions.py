"""One happening, many reports: the events of a story's articles merged into events with mentions.

Within a story, reports with the same actors (either order for consultations, where who met whom is
one meeting; a report that names no target agrees with one that does), the same CAMEO root, the same
kind of statement (what happened or was denied; what is planned; what is conditional) and dates at
most :data:`DATE_SLACK` days apart are one event. Its earliest report (by publication date, then the
original over a reprint and the reports naming a target, then article and position) stands for it: ``num_mentions``,
``num_articles`` and ``num_sources`` (outlets) count the reports as GDELT does, its confidence is
raised by the agreeing articles (``1 - prod(1 - c)`` over each article's best report, at most 0.99),
and ``conflicts`` lists dates and modalities the reports disagree on, kept visible instead of averaged
away. Every other report keeps its row with ``merged_into`` naming that event, so an article still
shows all it says; counts, timelines and the network read only events that are merged into none.
Merging a story again gives the same result: it starts from each report's own confidence.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from detente.store import schema as S

DATE_SLACK = 2  # days two reports' dates may differ and still be one event
MAX_CONFIDENCE = 0.99
_KIND = {"asserted": "fact", "negated": "fact", "future": "future", "hypothetical": "hypothetical"}
_UNORDERED_ROOTS = {"04"}  # consult: "X met Y" and "Y met X" are one meeting


@dataclass(slots=True)
class _Report:
    id: str
    article_id: str
    outlet: str
    published: str
    day: str
    modality: str
    key: tuple[str, str, str, str]
    trigger: int
    doc: dict[str, Any]
    reprint: bool = False


@dataclass(slots=True)
class _Group:
    reports: list[_Report] = field(default_factory=list)

    def fits(self, r: _Report) -> bool:
        """Same source, root and kind; the same target or one report without one; dates close or missing."""
        first = self.reports[0]
        (src, tgt, root, kind), (src2, tgt2, root2, kind2) = first.key, r.key
        if (src, root, kind) != (src2, root2, kind2) or (tgt != tgt2 and tgt and tgt2):
            return False
        if not first.day or not r.day:
            return True
        return abs((dt.date.fromisoformat(first.day) - dt.date.fromisoformat(r.day)).days) <= DATE_SLACK


def _actor(doc: dict[str, Any], side: str) -> str:
    a = doc.get(side) or {}
    return str(a.get("kb_id") or a.get("country") or a.get("code") or "")


def _report(row: Any, doc: dict[str, Any]) -> _Report:
    src, tgt, root = _actor(doc, "source"), _actor(doc, "target"), str(doc["cameo_root"])
    if root in _UNORDERED_ROOTS:
        src, tgt = sorted((src, tgt))
    return _Report(row.id, row.article_id, row.outlet or row.article_id, row.published or "", row.day or "",
                   str(doc["modality"]), (src, tgt, root, _KIND.get(str(doc["modality"]), "fact")),
                   int(doc["trigger"]["start"]), doc, row.duplicate_of is not None)


def group_reports(reports: Iterable[_Report]) -> list[_Group]:
    """Reports in order of publication (of one day, originals before reprints and those naming a target
    first), each joining the first group it fits, else starting one."""
    groups: list[_Group] = []
    for r in sorted(reports, key=lambda r: (r.published, r.reprint, r.key[1] == "", r.article_id, r.trigger, r.id)):
        g = next((g for g in groups if g.fits(r)), None)
        if g is None:
            groups.append(_Group([r]))
        else:
            g.reports.append(r)
    return groups


def _own_confidence(doc: dict[str, Any]) -> float:
    return float(doc.get("report_confidence", doc.get("confidence") or 0.0))


def _merged(g: _Group, story: str) -> dict[str, dict[str, Any]]:
    """The updated document of every report of one group (the first one carries the counts)."""
    first = g.reports[0]
    best: dict[str, float] = {}
    for r in g.reports:
        best[r.article_id] = max(best.get(r.article_id, 0.0), _own_confidence(r.doc))
    miss = 1.0
    for c in best.values():
        miss *= 1.0 - c
    out: dict[str, dict[str, Any]] = {}
    dates = sorted({str(r.doc["date"]) for r in g.reports if r.doc.get("date")})
    modalities = sorted({r.modality for r in g.reports})
    for r in g.reports:
        doc = dict(r.doc)
        doc["report_confidence"] = _own_confidence(r.doc)
        doc["story"] = story
        doc["merged_into"] = None if r is first else first.id
        if r is first:
            doc["num_mentions"], doc["num_articles"] = len(g.reports), len(best)
            doc["num_sources"] = len({x.outlet for x in g.reports})
            doc["confidence"] = round(min(MAX_CONFIDENCE, 1.0 - miss), 3) if len(best) > 1 else doc["report_confidence"]
            doc["mentions"] = [{"event_id": x.id, "article_id": x.article_id} for x in g.reports]
            doc["conflicts"] = {k: v for k, v in (("dates", dates), ("modalities", modalities)) if len(v) > 1}
        else:
            doc["num_mentions"] = doc["num_articles"] = doc["num_sources"] = 1
            doc["confidence"] = doc["report_confidence"]
            for k in ("mentions", "conflicts"):
                doc.pop(k, None)
        out[r.id] = doc
    return out


def merge_story(conn: Connection, story: str) -> None:
    """Merge the reports of one story's articles into events (idempotent)."""
    e, d, a, m = S.events.c, S.event_docs.c, S.articles.c, S.story_members.c
    rows = conn.execute(
        select(e.id, e.article_id, e.day, a.outlet, a.published, d.json, m.duplicate_of)
        .join(S.story_members, m.article_id == e.article_id).join(S.articles, a.id == e.article_id)
        .join(S.event_docs, d.id == e.id).where(m.story == story)
    ).all()
    reports = [_report(r, json.loads(r.json)) for r in rows]
    for g in group_reports(reports):
        for eid, doc in _merged(g, story).items():
            conn.execute(update(S.events).where(e.id == eid).values(
                story=story, merged_into=doc["merged_into"], num_mentions=doc["num_mentions"],
                num_articles=doc["num_articles"], num_sources=doc["num_sources"], confidence=doc["confidence"]))
            conn.execute(update(S.event_docs).where(d.id == eid).values(json=json.dumps(doc, ensure_ascii=False)))


def merge_stories(conn: Connection, stories: Sequence[str]) -> None:
    """Merge the reports of each of ``stories``."""
    for story in sorted(set(stories)):
        merge_story(conn, story)

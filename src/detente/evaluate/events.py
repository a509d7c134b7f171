"""Event scoring against gold in the seeds' format (the same matching as ``shared/eval/score_events.py``).

A predicted event matches a gold event of the same article when the source matches, the target is
one of the acceptable targets (null matches null) and the CAMEO root is one of the acceptable roots;
``symmetric`` gold events also match with source and target swapped. Matching is one-to-one and
greedy, required events first, each taking the closest prediction (direction, code, date). Optional
gold events are never missed, and a prediction matched to one is not a false positive.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from detente.evaluate.metrics import prf

IGO = {"UNO": "IGO:UN", "UN": "IGO:UN", "EU": "IGO:EU", "EUREEC": "IGO:EU", "NATO": "IGO:NATO", "OSCE": "IGO:OSCE",
       "CSTO": "IGO:CSTO", "SCO": "IGO:SCO", "CIS": "IGO:CIS", "EAEU": "IGO:EAEU",
       # regional codes that begin like another organisation's ("EURCOE" is the Council of Europe, not the EU)
       "EURCOE": "IGO:COE", "BUSBRI": "IGO:BRICS", "CASOTS": "IGO:OTS", "BUSIMF": "IGO:IMF", "BUSWTO": "IGO:WTO"}


def actor_key(actor: dict[str, Any] | None) -> str | None:
    """The gold-side code of a predicted actor: ISO alpha-3 country, or IGO:<org>."""
    if not actor:
        return None
    if actor.get("country"):
        return str(actor["country"]).upper()
    code = str(actor.get("code") or "").upper()
    if code.startswith("IGO"):
        rest = code[3:]
        for key in sorted(IGO, key=len, reverse=True):
            if rest.startswith(key):
                return IGO[key]
        return "IGO:" + rest
    return code[:3] or None


def _matches(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    if str(pred.get("cameo") or "")[:2] not in gold["root"]:
        return False
    src, tgt = actor_key(pred.get("source")), actor_key(pred.get("target"))
    targets = gold.get("target")
    targets = [None] if targets is None else targets
    if src == gold["source"] and tgt in targets:
        return True
    return bool(gold.get("symmetric")) and tgt == gold["source"] and src in targets


def _closeness(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[bool, bool, bool]:
    return (actor_key(pred.get("source")) == gold["source"],
            str(pred.get("cameo") or "")[:3] == str(gold.get("cameo") or "")[:3],
            pred.get("date") in [gold.get("date"), *gold.get("date_alt", [])])


@dataclass
class EventScore:
    """Counts of one language (or all)."""

    counts: collections.Counter[str] = field(default_factory=collections.Counter)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1."""
        return prf(self.counts["tp"], self.counts["fp"], self.counts["fn"])

    def accuracy(self, what: str) -> float:
        """Date or modality accuracy over matched required events."""
        if what == "date":
            return self.counts["date_ok"] / self.counts["dated"] if self.counts["dated"] else float("nan")
        return self.counts["modality_ok"] / self.counts["tp"] if self.counts["tp"] else float("nan")


def _norm(name: str) -> str:
    return os.path.splitext(os.path.basename(str(name)))[0]


def match_article(gold_events: Iterable[dict[str, Any]], predictions: Iterable[dict[str, Any]],
                  counts: collections.Counter[str] | None = None) -> list[tuple[dict[str, Any], bool]]:
    """Match one article's predictions to its gold events; return each prediction with whether it is right.

    A prediction is right when it matches a required or an optional gold event. ``counts``, when
    given, gets the article's ``tp``, ``fp``, ``fn`` and date and modality tallies.
    """
    c = counts if counts is not None else collections.Counter()
    preds = list(predictions)
    right: list[dict[str, Any]] = []
    for g in sorted(gold_events, key=lambda e: bool(e.get("optional"))):
        hit = max((p for p in preds if _matches(p, g)), key=lambda p: _closeness(p, g), default=None)
        if hit is None:
            if not g.get("optional"):
                c["fn"] += 1
            continue
        preds.remove(hit)
        right.append(hit)
        if g.get("optional"):
            continue
        c["tp"] += 1
        if g.get("date") is not None:
            c["dated"] += 1
            c["date_ok"] += hit.get("date") in [g["date"], *g.get("date_alt", [])]
        c["modality_ok"] += hit.get("modality") in [g.get("modality", "asserted"), *g.get("modality_alt", [])]
    c["fp"] += len(preds)
    return [(p, True) for p in right] + [(p, False) for p in preds]


def _by_article(gold: Iterable[dict[str, Any]], predictions: Iterable[dict[str, Any]]
                ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    by_article: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for ev in predictions:
        by_article[_norm(ev.get("article", ""))].append(ev)
    for item in gold:
        yield item, (list(by_article.get(_norm(item.get("file") or item["id"]), []))
                     or list(by_article.get(_norm(item["id"]), [])))


def score_events(gold: Iterable[dict[str, Any]], predictions: Iterable[dict[str, Any]]) -> dict[str, EventScore]:
    """Score predicted events against gold articles; keys are languages and ``all``."""
    out: dict[str, EventScore] = collections.defaultdict(EventScore)
    for item, preds in _by_article(gold, predictions):
        c = out[item.get("lang", "?")].counts
        c["articles"] += 1
        match_article(item.get("events", []), preds, c)
    total = EventScore()
    for score in list(out.values()):
        total.counts.update(score.counts)
    out["all"] = total
    return dict(out)


BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class Band:
    """Predictions whose confidence is in ``[low, high)`` (the last band includes 1.0), and how many were right."""

    low: float
    high: float
    events: int
    right: int

    @property
    def share(self) -> float:
        """The share of the band's events that were right (NaN for an empty band)."""
        return self.right / self.events if self.events else float("nan")


def calibration(gold: Iterable[dict[str, Any]], predictions: Iterable[dict[str, Any]],
                bands: tuple[float, ...] = BANDS) -> list[Band]:
    """How often predictions in each confidence band are right (matched to a required or optional gold event)."""
    tally = [[0, 0] for _ in bands[:-1]]
    for item, preds in _by_article(gold, predictions):
        for pred, ok in match_article(item.get("events", []), preds):
            conf = float(pred.get("confidence") or 0.0)
            k = max(0, min(len(tally) - 1, bisect.bisect_right(bands, conf) - 1))
            tally[k][0] += 1
            tally[k][1] += ok
    return [Band(lo, hi, n, r) for (lo, hi), (n, r) in zip(itertools.pairwise(bands), tally, strict=True)]

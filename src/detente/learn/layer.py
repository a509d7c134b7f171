"""Events from the learned model beside the rules' events, and the gold alignment the training uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from detente.doc import Doc, Event
from detente.learn.features import Candidate, actor_key, candidates
from detente.learn.model import NONE, EventModel


def _fits(key: tuple[str | None, str | None], gold: dict[str, Any]) -> bool:
    src, tgt = key
    targets = gold.get("target") or [None]
    if src == gold["source"] and tgt in targets:
        return True
    return bool(gold.get("symmetric")) and tgt == gold["source"] and src in targets


def label(cands: Sequence[Candidate], gold_events: Iterable[dict[str, Any]]) -> list[str]:
    """The training label of each candidate: the root of the gold event it first states, else :data:`NONE`.

    Each gold event (required or optional) labels the first candidate, in text order, whose actors fit it.
    """
    labels = [NONE] * len(cands)
    order = sorted(range(len(cands)), key=lambda i: (cands[i].sent, cands[i].target is None))
    for g in gold_events:
        for i in order:
            if labels[i] == NONE and _fits(cands[i].key, g):
                labels[i] = str(g["root"][0])
                break
    return labels


def model_events(doc: Doc, model: EventModel, threshold: float | None = None) -> list[Event]:
    """Events the model finds in ``doc`` that no rule event already states (same actors and root)."""
    cut = model.threshold if threshold is None else threshold
    have = {(actor_key(e.source), actor_key(e.target), e.cameo[:2]) for e in doc.events}
    have |= {(t, s, r) for s, t, r in have}
    out: list[Event] = []
    for cand in candidates(doc):
        root, p = model.predict(cand.features)
        src, tgt = cand.key
        if p < cut or (src, tgt, root) in have or src == tgt:
            continue
        have.add((src, tgt, root))
        sent = doc.sents[cand.sent]
        out.append(Event(cameo=root + "0", trigger_start=sent.start, trigger_end=sent.end, sent=cand.sent,
                         source=cand.source, target=cand.target, modality="asserted",
                         date=doc.published.isoformat() if doc.published else None,
                         date_precision="day" if doc.published else None, rule="model", confidence=round(p, 3),
                         evidence=[(sent.start, sent.end)]))
    return out

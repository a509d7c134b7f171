"""Merging reports of one act within an article (a headline and its body, "visit" and "met")."""

from __future__ import annotations

from detente.doc import Event
from detente.events.cameo import lookup
from detente.events.context import actor_key


def same_act(a: str, b: str) -> bool:
    """True when two CAMEO codes can name the same act: equal base codes, or one is its root's generic.

    "040" (consult) and "041" (by telephone) are one call reported twice; "051" (praise) and "057"
    (sign an agreement) are two acts.
    """
    if a[:2] != b[:2]:
        return False
    return a[:3] == b[:3] or a[:3].endswith("0") or b[:3].endswith("0")


def merge_events(events: list[Event]) -> list[Event]:
    """Merge reports of the same event within one article.

    Events with the same source and target sides, modality and act (:func:`same_act`) are one event: it
    keeps the most specific code, an explicit date over a default one, the highest confidence and every
    piece of evidence. An event with no target merges into one with the same source, act and modality.
    """
    out: list[Event] = []
    for ev in events:
        src = actor_key(ev.source)
        twin = next((o for o in out if _same_pair(o, ev) and o.modality == ev.modality
                     and same_act(o.cameo, ev.cameo) and _dates_compatible(o, ev)), None)
        if twin is None and ev.target is None:
            twin = next((o for o in out if actor_key(o.source) == src and same_act(o.cameo, ev.cameo)
                         and o.modality == ev.modality), None)
        if twin is None and ev.target is not None:
            lone = next((o for o in out if o.target is None and actor_key(o.source) == src
                         and same_act(o.cameo, ev.cameo) and o.modality == ev.modality), None)
            if lone is not None:
                out.remove(lone)
                ev.evidence = lone.evidence + ev.evidence
        if twin is None:
            out.append(ev)
            continue
        _absorb(twin, ev)
    return out


def _same_pair(a: Event, b: Event) -> bool:
    """Same source and target; for symmetric acts (talks, calls, agreements) in either direction."""
    pa, pb = (actor_key(a.source), actor_key(a.target)), (actor_key(b.source), actor_key(b.target))
    return pa == pb or (a.symmetric and b.symmetric and pa == pb[::-1])


def _dates_compatible(a: Event, b: Event) -> bool:
    return a.date == b.date or not a.date_explicit or not b.date_explicit


def _absorb(keep: Event, other: Event) -> None:
    if _specificity(other.cameo) > _specificity(keep.cameo):
        keep.cameo = other.cameo
    if other.date_explicit and not keep.date_explicit:
        keep.date, keep.date_precision, keep.date_explicit = other.date, other.date_precision, True
    keep.confidence = max(keep.confidence, other.confidence)
    for ev in other.evidence:
        if ev not in keep.evidence:
            keep.evidence.append(ev)
    if keep.target is None and other.target is not None:
        keep.target = other.target


def _specificity(code: str) -> int:
    try:
        lookup(code)
    except KeyError:
        return 0
    return len(code) - (1 if code.endswith("0") and len(code) == 3 else 0)

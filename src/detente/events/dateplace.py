"""When and where a coded act happens: the time expression nearest the trigger, the place of its clause."""

from __future__ import annotations

import datetime as dt
from typing import Any

from detente.doc import Doc, Modality, Precision, TimeExpr
from detente.events.context import SentenceContext, TriggerSpan, cases
from detente.events.slots import prep_before
from detente.text import norm


def location(ctx: SentenceContext, span: TriggerSpan) -> dict[str, Any] | None:
    """A place in the clause after a locative preposition ("на Аляске", "в Астане")."""
    preps = ctx.rs.markers.get("location_prepositions", frozenset())
    t0 = ctx.first
    for e in ctx.ents:
        if not (t0 + span.lo <= e.tok_start < t0 + span.hi) or not e.kb_id:
            continue
        if e.kind != "place" and not (e.kind == "country" and e.via == "capital"):
            continue
        p = prep_before(ctx, e)
        if ctx.rs.word_order == "sov":  # "Астанада": the locative case alone places it
            if "loc" not in cases(e):
                continue
        elif p is None or norm(p.text) not in preps or (e.case and "loc" not in cases(e)):
            continue
        actor = ctx.kb.actors.get(e.kb_id)
        if actor is None:
            continue
        name = (actor.capital.get("en") or actor.name) if actor.kind == "country" else actor.name
        gazetteer = ctx.kb.gazetteer
        return {"name": name, "country": actor.country, "lat": actor.lat, "lon": actor.lon,
                "geonames": gazetteer.feature_id(actor.id, name, actor.country) if gazetteer else None,
                "text": e.text, "start": e.start, "end": e.end}
    return None


def event_date(
    ctx: SentenceContext, span: TriggerSpan, modality: Modality
) -> tuple[str | None, Precision | None, bool]:
    """The act's date, its precision and whether the text states it (else the publication date)."""
    doc = ctx.doc
    sent = doc.sents[ctx.si]
    trig = ctx.toks[span.ti].start
    times = ctx.layers.times.starting_in(sent.start, sent.end)
    clause_lo, clause_hi = ctx.toks[span.lo].start, ctx.toks[span.hi - 1].end
    limits = ctx.rs.markers.get("time_limit", frozenset())
    explicit = [t for t in times if not t.vague and t.value and not _after_word(doc, t, limits)]
    in_clause = [t for t in explicit if clause_lo <= t.start < clause_hi]
    pick = in_clause or explicit
    if pick:
        best = min(pick, key=lambda t: abs(t.start - trig))
        value = best.value
        if modality == "future" and best.relation == "past" and best.precision == "day" and value \
                and not any(ch.isdigit() for ch in best.text):
            # "в пятницу планирует встретиться": a weekday in a plan is the coming one
            value = (dt.date.fromisoformat(value) + dt.timedelta(days=7)).isoformat()
        return value, best.precision, True
    if any(t.vague for t in times) or modality != "asserted":
        return None, None, False
    inherited = _paragraph_time(ctx)
    if inherited is not None:
        return inherited.value, inherited.precision, True
    if doc.published is None:
        return None, None, False
    return doc.published.isoformat(), "day", False


def _after_word(doc: Doc, t: TimeExpr, words: frozenset[str]) -> bool:
    """True when the time expression follows one of ``words`` ("до 2035 года": a limit, not a date)."""
    head = doc.text[max(0, t.start - 12) : t.start].split()
    return bool(head) and norm(head[-1]) in words


def _paragraph_time(ctx: SentenceContext) -> TimeExpr | None:
    """The last stated date of the earlier sentences of the same paragraph."""
    doc = ctx.doc
    para = doc.sents[ctx.si].paragraph
    for back in range(ctx.si - 1, -1, -1):
        sent = doc.sents[back]
        if sent.paragraph != para:
            break
        times = [t for t in ctx.layers.times.starting_in(sent.start, sent.end) if not t.vague and t.value]
        if times:
            return times[-1]
    return None

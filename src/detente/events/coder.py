"""Code events from rules: find triggers, fill source and target slots, decide modality and date.

The stage is a thin loop over sentences and their trigger candidates; each step lives in its own
module: trigger matching and clause bounds (:mod:`.triggers`), modality (:mod:`.modality`), argument
slots (:mod:`.slots`), date and place (:mod:`.dateplace`) and merging of repeated reports (:mod:`.merge`).
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from detente.doc import Doc, Entity, Event
from detente.events import triggers
from detente.events.context import DocLayers, SentenceContext, TriggerSpan, actor_key, is_actor, same_side
from detente.events.dateplace import event_date, location
from detente.events.merge import merge_events, same_act
from detente.events.modality import modality
from detente.events.rules import Rule, RuleSet, load_rules
from detente.events.slots import fill, parties_word, recent_pair, unlinked_partner
from detente.kb.base import KnowledgeBase
from detente.text import norm

__all__ = ["EventCoder", "merge_events", "same_act"]


def met_where(cameo: str, place: dict[str, Any] | None, src: Entity, tgt: Entity | None) -> str:
    """A meeting's code from where it was held: the source hosts (043) at home, visits (042) the target's
    country, meets at a third place (044); the rule's own code when no place is stated."""
    where = place.get("country") if place else None
    if where is None or tgt is None:
        return cameo
    if where == src.country:
        return "043"
    return "042" if where == tgt.country else "044"


class EventCoder:
    """Pipeline stage: fills ``doc.events`` from the language's rules."""

    name = "events"
    requires = ("tokens", "entities", "times", "quotes")
    assigns = ("events",)

    def __init__(self, kb: KnowledgeBase, min_confidence: float = 0.0) -> None:
        self.kb = kb
        self.min_confidence = min_confidence

    def rules(self, lang: str) -> RuleSet:
        """The event rules of ``lang``."""
        return load_rules(lang)

    def __call__(self, doc: Doc) -> Doc:
        """Code the events of ``doc``."""
        events: list[Event] = []
        layers = DocLayers(doc)
        by_sent: dict[int, list[int]] = {}
        for i, tok in enumerate(doc.tokens):
            by_sent.setdefault(tok.sent, []).append(i)
        for si, sent in enumerate(doc.sents):
            idxs = by_sent.get(si, [])
            rs = self.rules(sent.lang) if idxs else None
            if rs is None or not rs.rules:
                continue
            toks = [doc.tokens[i] for i in idxs]
            ents = layers.entities.starting_in(sent.start, sent.end)
            events.extend(self._sentence(SentenceContext(doc, si, rs, toks, idxs[0], ents, layers, self.kb)))
        doc.events = [e for e in merge_events(events) if e.confidence >= self.min_confidence]
        return doc

    def _sentence(self, ctx: SentenceContext) -> list[Event]:
        """The events of one sentence: at each token the longest trigger whose rule codes an event."""
        out: list[Event] = []
        used: set[int] = set()
        for ti, tok in enumerate(ctx.toks):
            if ti in used:
                continue
            cands = ctx.rs.candidates({tok.lemma, norm(tok.text)})
            cands.sort(key=lambda c: -len(c[1]))
            for rule, trig in cands:
                end = triggers.match(ctx, ti, trig)
                if end is None or (len(trig) == 1 and not triggers.pos_ok(rule, tok)):
                    continue
                if not triggers.context_ok(ctx, rule, ti, end):
                    continue
                ctx.trig = trig
                evs = self._code(ctx, rule, ti, end)
                if evs:
                    out.extend(evs)
                    used.update(range(ti, end))
                    break
        # a target guessed from earlier sentences yields to one the same sentence names for the same act
        named = {(actor_key(e.source), e.cameo[:2]) for e in out if e.target is not None and e.target_via != "context"}
        return [e for e in out if e.target_via != "context" or (actor_key(e.source), e.cameo[:2]) not in named]

    def _code(self, ctx: SentenceContext, rule: Rule, ti: int, end: int) -> list[Event]:
        """The events one matched trigger codes (none when a slot the rule needs stays empty)."""
        trig_tok = ctx.toks[ti]
        ctx.quote = ctx.layers.quote_at(trig_tok.start)
        if triggers.is_question(ctx, ti):
            return []
        lo, hi = triggers.clause(ctx, ti)
        span = TriggerSpan(ti, end, lo, hi)
        mood, negated = modality(ctx, rule, span)
        cameo = rule.cameo
        if negated and rule.negated:
            cameo, mood = rule.negated, "asserted"
        elif mood == "future" and rule.future:
            cameo = rule.future
        if triggers.is_embedded(ctx, rule, ti):
            return []
        if triggers.is_passive(ctx, ti, lo):  # "X was invited by Y": the agent acts, the subject undergoes
            rule = dataclasses.replace(rule, source=("by+acc",), target=("subj",), symmetric=False)
        found = self._actors(ctx, rule, span)
        if found is None:
            return []
        sources, targets, s_slot, t_slot = found
        date, precision, explicit = event_date(ctx, span, mood)
        place = location(ctx, span)
        conf = rule.confidence
        conf *= 0.85 if s_slot in ("speaker", "context") else 1.0
        conf *= 0.8 if t_slot == "context" else 1.0
        conf *= 0.8 if mood == "hypothetical" else 1.0
        sent = ctx.doc.sents[ctx.si]
        quote = None if ctx.quote is None else ctx.layers.quote_number[id(ctx.quote)]
        out = []
        for src, tgt in itertools.product(sources, list(targets) if targets else [None]):
            if tgt is not None and same_side(src, tgt):
                continue
            code = met_where(cameo, place, src, tgt) if rule.where_met and cameo == rule.cameo else cameo
            score = conf * (0.6 + 0.4 * min(src.score, tgt.score if tgt else 1.0))
            out.append(Event(cameo=code, trigger_start=trig_tok.start, trigger_end=ctx.toks[end - 1].end,
                             sent=ctx.si, source=src, target=tgt, modality=mood, date=date, date_precision=precision,
                             date_explicit=explicit, quote=quote, rule=rule.id, confidence=round(score, 3),
                             target_via=t_slot, symmetric=rule.symmetric, evidence=[(sent.start, sent.end)],
                             location=place))
        return out

    @staticmethod
    def _actors(ctx: SentenceContext, rule: Rule,
                span: TriggerSpan) -> tuple[list[Entity], list[Entity], str, str] | None:
        """Sources and targets of a trigger with the slots that gave them; None when the rule is not met."""
        inner = ctx.quote if ctx.quote is not None and ctx.quote.direct else None
        pool = [e for e in ctx.ents if is_actor(e) and (inner is None or inner.start <= e.start < inner.end)]
        sources, s_slot = fill(ctx, rule.source, pool, span, None)
        targets: list[Entity] = []
        t_slot = ""
        if not sources and rule.symmetric:
            # "відбулися переговори між делегаціями України та США": the parties are the compound target
            parties, s_slot = fill(ctx, rule.target, pool, span, None)
            if len(parties) > 1:
                sources, targets, t_slot = parties[:1], parties[1:], s_slot
        if not sources and rule.symmetric and parties_word(ctx, span.lo, span.ti):
            # "Тараптар … қол қойды", "the two leaders signed": the two sides the article is about
            pair = recent_pair(ctx)
            if pair is not None:
                sources, targets, s_slot, t_slot = [pair[0]], [pair[1]], "context", "context"
        if not sources:
            return None
        if not targets and rule.target:
            if rule.place_targets:  # "прибыл в Сочи": a city stands for its country
                pool = sorted(pool + [e for e in ctx.ents if e.kind == "place" and e.country and not e.nested
                                      and (inner is None or inner.start <= e.start < inner.end)], key=lambda e: e.start)
            targets, t_slot = fill(ctx, rule.target, pool, span, sources[0])
        if not targets and rule.symmetric and len(sources) > 1:
            # "Лавров и Ван И провели переговоры": the first named meets the others
            sources, targets, t_slot = sources[:1], sources[1:], "conjunct"
        between = ctx.rs.markers.get("between", frozenset())
        if rule.symmetric and len(targets) > 1 and t_slot.partition("+")[0] in between:
            # "talks between Russia and Ukraine": the parties talk, not the subject who hosts or comments
            sources, targets, s_slot = targets[:1], targets[1:], t_slot
        if rule.one_event:
            targets = targets[:1]
        if rule.target_required and not targets:
            return None
        if rule.symmetric and not targets and len(sources) == 1 and unlinked_partner(ctx, sources[0]):
            return None
        return sources, targets, s_slot, t_slot

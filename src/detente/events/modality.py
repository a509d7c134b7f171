"""Modality: whether a coded act happened, was denied, is planned or only conditional."""

from __future__ import annotations

import itertools

from detente.doc import Modality, Token
from detente.events.context import NOUN_POS, VERB_POS, SentenceContext, TriggerSpan
from detente.events.rules import Rule, word_matches
from detente.text import norm


def modality(ctx: SentenceContext, rule: Rule, span: TriggerSpan) -> tuple[Modality, bool]:
    """The trigger's modality and whether it is negated (a negated rule codes the negation itself)."""
    m = ctx.rs.markers
    ti, end, lo, hi = span.ti, span.end, span.lo, span.hi
    sov = ctx.rs.word_order == "sov"
    tok = ctx.toks[ti]
    # a noun trigger's predicate may stand well after it: "встреча X и Y в Лондоне пока не запланирована"
    after = ctx.toks[end : min(hi, end + (10 if tok.pos in NOUN_POS else 6))]
    suffix_mood, suffix_neg = suffix_modality(ctx, rule, end)
    negated = suffix_neg or _negated(ctx, span, after)
    if negated and not rule.negated:
        return "negated", True
    window = ctx.toks[max(lo, ti - 8) : ti] + (after[:4] if sov else [])
    lemmas = {t.lemma for t in window} | {norm(t.text) for t in window}
    if suffix_mood == "future" or any(word_matches(w, lemmas) for w in m.get("future", frozenset())):
        return "future", negated
    if suffix_mood == "hypothetical" or any(norm(t.text) in m.get("hypothetical", frozenset()) for t in ctx.toks[:ti]) \
            or any(norm(t.text) in m.get("conditional", frozenset()) for t in ctx.toks[lo:hi]):
        return "hypothetical", negated
    aux = m.get("auxiliary", frozenset())
    if tok.tense == "futr" or any(t.lemma in aux and t.tense == "futr" for t in window[-3:]) or any(
            t.lemma in aux and t.tense == "futr" for t in after[:3]):
        return "future", negated
    return "asserted", negated


def _negated(ctx: SentenceContext, span: TriggerSpan, after: list[Token]) -> bool:
    """A negation before the trigger, a refusal before its infinitive, or a negated predicate after it."""
    m = ctx.rs.markers
    ti, lo = span.ti, span.lo
    neg = m.get("negation", frozenset())
    tok = ctx.toks[ti]
    infinitive = (tok.pos == "INFN" or "infn" in tok.tags
                  or (ti > 0 and norm(ctx.toks[ti - 1].text) in m.get("infinitive", frozenset())))
    refusal = m.get("refusal", frozenset())
    if any(norm(t.text) in neg for t in ctx.toks[max(lo, ti - 3) : ti]) or (
            infinitive and any(t.lemma in refusal for t in ctx.toks[max(lo, ti - 4) : ti])):
        return True
    negated = False
    for a, b in itertools.pairwise(after):
        if norm(a.text) in neg and (b.lemma in m.get("auxiliary", frozenset()) or b.pos in VERB_POS):
            negated = True
    if ctx.rs.word_order == "sov":  # "кездесу жоспарланбаған", "делдал болуды жоспарламайды": the negation follows
        negated = any(word_matches(w, {norm(t.text)}) for t in after[:3] for w in neg)
    return negated


def suffix_modality(ctx: SentenceContext, rule: Rule, end: int) -> tuple[str | None, bool]:
    """Mood and negation read from what follows a stem trigger ("кездес*" in "кездеспейді")."""
    if not ctx.trig or not ctx.trig[-1].endswith("*"):
        return None, False
    m = ctx.rs.markers
    rest = norm(ctx.toks[end - 1].text)[len(ctx.trig[-1]) - 1 :]
    converbs = tuple(m.get("converb_endings", ()))
    if converbs and rest.endswith(converbs):
        # "Турчинмен кездесіп, … талқылайды": a converb takes its tense from the clause-final verb
        words = [norm(t.text) for t in ctx.toks[end:] if any(ch.isalpha() for ch in t.text)]
        if words and words[-1].endswith(tuple(m.get("suffix_future", ()))):
            return ("future" if rule.future else None), False
        return None, False
    if any(rest.startswith(x) for x in m.get("suffix_future", ())):
        # the present-future form: a plan for acts that have a planned reading, else a present act
        return ("future" if rule.future else None), False
    if any(rest.startswith(x) for x in m.get("suffix_negation", ())) \
            and not any(rest.startswith(x) for x in m.get("suffix_not_negation", ())):
        return None, True
    if any(rest.startswith(x) for x in m.get("suffix_conditional", ())):
        return "hypothetical", False
    return None, False

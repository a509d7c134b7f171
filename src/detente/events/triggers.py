"""Trigger matching: a rule's words at a token, its part of speech and context, and the trigger's clause."""

from __future__ import annotations

from detente.doc import Token
from detente.events.context import ADJ_POS, BOUNDARY, NOUN_POS, QUOTE_MARKS, VERB_POS, SentenceContext, in_range
from detente.events.rules import Rule, word_matches
from detente.text import norm


def match(ctx: SentenceContext, ti: int, trig: tuple[str, ...]) -> int | None:
    """The token after a multi-word trigger that starts at ``ti`` (quote marks between words skipped)."""
    j = ti + 1
    for word in trig[1:]:
        while j < len(ctx.toks) and ctx.toks[j].text in QUOTE_MARKS:
            j += 1
        if j >= len(ctx.toks) or not word_matches(word, (ctx.toks[j].lemma, norm(ctx.toks[j].text))):
            return None
        j += 1
    return j


def pos_ok(rule: Rule, tok: Token) -> bool:
    """True when a one-word trigger has the part of speech its rule asks for (or none is known)."""
    if rule.pos == "verb":
        return tok.pos in VERB_POS or tok.pos is None
    if rule.pos == "noun":
        return tok.pos in NOUN_POS or tok.pos is None
    if rule.pos == "adj":
        return tok.pos in ADJ_POS or tok.pos is None
    return True


def context_ok(ctx: SentenceContext, rule: Rule, ti: int, end: int) -> bool:
    """True when the words near the trigger include the rule's ``near`` words and none of its ``unless``."""
    lo, hi = max(0, ti - rule.near_window), min(len(ctx.toks), end + rule.near_window)
    window = {w for t in ctx.toks[lo:hi] for w in (t.lemma, norm(t.text))}
    if rule.unless and any(word_matches(w, window) for w in rule.unless):
        return False
    return not rule.near or any(word_matches(w, window) for w in rule.near)


def clause(ctx: SentenceContext, ti: int) -> tuple[int, int]:
    """The clause around token ``ti``: from the last boundary or subordinator before it to the next."""
    subord = ctx.rs.markers.get("clause_start", frozenset())
    converbs = tuple(ctx.rs.markers.get("converb_endings", frozenset()))
    toks = ctx.toks
    lo = ti
    while lo > 0 and norm(toks[lo - 1].text) not in subord:
        # "Ресей мен Украинаны атысты тоқтатып, … шақырады": a converb's comma does not end the clause
        converb_comma = bool(converbs) and toks[lo - 1].text == "," and lo > 1 \
            and norm(toks[lo - 2].text).endswith(converbs)
        if toks[lo - 1].text in BOUNDARY and not converb_comma and not in_range(toks, lo - 1):
            break
        lo -= 1
    if lo > 0 and norm(toks[lo - 1].text) in subord:
        lo -= 1
    hi = ti + 1
    while hi < len(toks) and (toks[hi].text not in BOUNDARY or in_range(toks, hi)) \
            and norm(toks[hi].text) not in subord:
        hi += 1
    return lo, hi


def is_passive(ctx: SentenceContext, ti: int, lo: int) -> bool:
    """A participle trigger after a form of "be" ("was summoned", "have been invited")."""
    aux = ctx.rs.markers.get("passive_aux", frozenset())
    tok = ctx.toks[ti]
    if not aux or tok.tense != "past" or tok.pos == "NOUN":
        return False
    for prev in reversed(ctx.toks[max(lo, ti - 3) : ti]):
        if prev.lemma in aux:
            return True
        if prev.pos not in (None, "ADVB") and norm(prev.text) not in ctx.rs.markers.get("negation", frozenset()):
            return False
    return False


def is_embedded(ctx: SentenceContext, rule: Rule, ti: int) -> bool:
    """True when the trigger stands in the complement of a demand or appeal ("demanded that Russia return")."""
    verbs = ctx.rs.markers.get("embedding", frozenset())
    if not verbs or rule.cameo[:2] in ("02", "10"):
        return False
    if ctx.rs.word_order == "sov":
        # "күш қолданудан бас тартуға шақырады": a verbal noun (the trigger or a word just after it)
        # followed by an appeal verb
        endings = tuple(ctx.rs.markers.get("verbal_noun_endings", frozenset()))
        k = next((j for j in range(ti, min(ti + 3, len(ctx.toks)))
                  if endings and norm(ctx.toks[j].text).endswith(endings)), None)
        if k is None:
            return False
        return any(word_matches(v, {norm(t.text)}) for t in ctx.toks[k + 1 : k + 9] for v in verbs)
    links = ctx.rs.markers.get("infinitive", frozenset()) | ctx.rs.markers.get("complementizer", frozenset())
    seen_link = False
    for prev in reversed(ctx.toks[max(0, ti - 12) : ti]):
        if norm(prev.text) in links:
            seen_link = True
        elif prev.lemma in verbs and seen_link:
            return True
        elif prev.text in (";", ":") or prev.text in ctx.rs.markers.get("sentence_break", frozenset()):
            return False
    return False


def is_question(ctx: SentenceContext, ti: int) -> bool:
    """True when a question word stands in the six tokens before the trigger."""
    q = ctx.rs.markers.get("question", frozenset())
    return any(norm(t.text) in q for t in ctx.toks[max(0, ti - 6) : ti])

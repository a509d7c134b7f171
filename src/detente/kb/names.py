"""Name lookup: the longest run of tokens that is a surface form of a knowledge-base actor."""

from __future__ import annotations

import datetime as dt

from detente.doc import Token
from detente.kb.base import KnowledgeBase, Surface
from detente.kb.forms import ALL_CASES
from detente.kb.mention import Mention, SentenceView
from detente.nlp.kkmorph import kk_split, kk_stem

_SCORES = {"name": 0.95, "surname": 0.85, "capital": 0.75}


def find_names(kb: KnowledgeBase, view: SentenceView) -> list[Mention]:
    """The actor names of a sentence, longest first at each token, with initials before surnames."""
    toks = view.toks
    out: list[Mention] = []
    at_start = view.words("not_names_at_start")  # "Того ж дня" (that same day) is not Togo
    i = 0
    while i < len(toks):
        found = _longest(kb, view, i)
        if found is not None and found[0] == 1 and view.keys[i] in at_start and _opens(toks, i):
            found = None
        if found is None:
            i += 1
            continue
        n, surface = found
        actor = kb.actors[surface.actor_id]
        start = i
        if actor.kind == "person":
            # initials written before the surname: "А.Лукашенко", "В. В. Путин"
            while start >= 2 and toks[start - 1].text == "." and len(toks[start - 2].text) == 1 \
                    and toks[start - 2].text.isupper() and toks[start - 2].end == toks[start - 1].start:
                start -= 2
        out.append(Mention(start, i + n, actor, surface.via, surface.cases, _SCORES.get(surface.via, 0.8)))
        i += n
    return out


_OPENERS = frozenset("«\"„“'(—–-")


def _opens(toks: list[Token], i: int) -> bool:
    """Whether token ``i`` begins its sentence (after opening quotes, brackets or dashes at most)."""
    return all(t.text in _OPENERS for t in toks[:i])


def _longest(kb: KnowledgeBase, view: SentenceView, i: int) -> tuple[int, Surface] | None:
    """The longest surface form starting at token ``i`` whose actor fits the date, with its length."""
    toks, keys = view.toks, view.keys
    limit = min(kb.max_len, len(toks) - i)
    prefixes = kb.prefixes(view.code)
    reach = 0  # the longest run of words from ``i`` that begins some indexed name
    while reach < limit and tuple(keys[i : i + reach + 1]) in prefixes:
        reach += 1
    if view.lang.has_suffix_morphology:
        reach = min(reach + 1, limit)  # the last word may carry endings its indexed form lacks
    for n in range(reach, 0, -1):
        lower_ok = _lowercase_kinds(view) if not toks[i].text[:1].isupper() and len(toks[i].text) >= 5 else ()
        surfaces = [s for s in surfaces_of(kb, view, tuple(keys[i : i + n]))
                    if _case_ok(s, toks[i]) or (s.via == "name" and kb.actors[s.actor_id].kind in lower_ok)]
        if surfaces:
            best = choose(kb, surfaces, view.when)
            if best is not None:
                return n, best
    return None


def surfaces_of(kb: KnowledgeBase, view: SentenceView, key: tuple[str, ...]) -> list[Surface]:
    """The surfaces indexed under ``key``; in a suffixing language also under the last word's stem."""
    lang = view.code
    found = kb.lookup(lang, key)
    if found or not view.lang.has_suffix_morphology or not key:
        return found
    stem = kk_split(key[-1])[0]
    if stem == key[-1] or not kb.lookup(lang, (*key[:-1], stem)):
        stem = kk_stem(key[-1])
    if stem != key[-1]:
        return [Surface(s.actor_id, s.via, ALL_CASES, s.capitalized) for s in kb.lookup(lang, (*key[:-1], stem))]
    return []


def _lowercase_kinds(view: SentenceView) -> frozenset[str]:
    """Kinds of actor whose names the language's outlets may write in lower case ("россия", "росія")."""
    return frozenset(view.lang.words("linker").get("lowercase_kinds", ()))


def _case_ok(surface: Surface, first: Token) -> bool:
    return not surface.capitalized or first.text[:1].isupper()


def choose(kb: KnowledgeBase, surfaces: list[Surface], when: dt.date | None) -> Surface | None:
    """The surface a name most likely means: a full name over a surname, a person in office on ``when``."""
    if len(surfaces) == 1:
        return surfaces[0]

    def rank(s: Surface) -> tuple[int, int, int]:
        actor = kb.actors[s.actor_id]
        in_office = bool(actor.offices_on(when)) if actor.kind == "person" else False
        return (s.via == "name", in_office, len(actor.offices))

    return max(surfaces, key=rank)

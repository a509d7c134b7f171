"""Lemmas and morphology for ru and uk through pymorphy3 (with the dawg2 C extension)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from detente.doc import Doc

CASES = {"nomn": "nom", "gent": "gen", "datv": "dat", "accs": "acc", "ablt": "ins", "loct": "loc",
         "voct": "nom", "gen2": "gen", "acc2": "acc", "loc2": "loc", "gen1": "gen", "loc1": "loc"}
_NAME_TAGS = ("Surn", "Name", "Geox", "Patr", "Orgn")
MORPH_LANGS = ("ru", "uk")


@dataclass(frozen=True, slots=True)
class Analysis:
    """The morphology of one word form: best lemma and tags, plus every case it may be in."""

    lemma: str
    pos: str | None
    case: str | None
    number: str | None
    gender: str | None
    animacy: str | None
    person: str | None
    tense: str | None
    cases: frozenset[str]
    grammemes: frozenset[str]


@functools.cache
def analyzer(lang: str) -> Any:
    """Return the pymorphy3 analyzer of ``lang`` (``ru`` or ``uk``), loaded once."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _pick(parses: list[Any], word: str) -> Any:
    if word[:1].isupper() and len(word) > 1:
        for p in parses[:4]:
            if any(t in p.tag.grammemes for t in _NAME_TAGS):
                return p
    return parses[0]


@functools.lru_cache(maxsize=200_000)
def analyze(word: str, lang: str) -> Analysis:
    """Analyze one word form of ``lang``; languages without a dictionary get a lowercase lemma only."""
    if lang not in MORPH_LANGS or not any(ch.isalpha() for ch in word):
        return Analysis(word.lower(), None, None, None, None, None, None, None, frozenset(), frozenset())
    parses = analyzer(lang).parse(word)
    best = _pick(parses, word)
    tag = best.tag
    top = best.score
    cases = frozenset(
        CASES[str(p.tag.case)] for p in parses if p.tag.case and p.score >= top * 0.2 and str(p.tag.case) in CASES
    )
    case = CASES.get(str(tag.case)) if tag.case else None
    lemma = str(best.normal_form).replace("ё", "е")
    return Analysis(
        lemma=lemma,
        pos=str(tag.POS) if tag.POS else None,
        case=case,
        number=str(tag.number) if tag.number else None,
        gender=str(tag.gender) if tag.gender else None,
        animacy=str(tag.animacy) if tag.animacy else None,
        person=str(tag.person) if tag.person else None,
        tense=str(tag.tense) if tag.tense else None,
        cases=cases,
        grammemes=frozenset(str(g) for g in tag.grammemes),
    )


def lemmas(word: str, lang: str) -> frozenset[str]:
    """Return every plausible lemma of ``word`` (all parses), for matching trigger words."""
    if lang not in MORPH_LANGS:
        return frozenset({word.lower()})
    return frozenset(str(p.normal_form).replace("ё", "е") for p in analyzer(lang).parse(word)[:4])


class MorphTagger:
    """Pipeline stage: sets lemma, POS, case, number, gender, animacy, person and tense on tokens."""

    name = "morph"
    requires = ("tokens",)
    assigns = ("tokens.lemma", "tokens.pos", "tokens.case")

    def __call__(self, doc: Doc) -> Doc:
        """Tag every token of ``doc`` with the morphology of its sentence's language."""
        langs = [s.lang for s in doc.sents]
        for tok in doc.tokens:
            lang = langs[tok.sent] if tok.sent < len(langs) else doc.lang
            a = analyze(tok.text, lang)
            tok.lemma = a.lemma
            tok.pos = a.pos
            tok.case = a.case
            tok.number = a.number
            tok.gender = a.gender
            tok.animacy = a.animacy
            tok.person = a.person
            tok.tense = a.tense
            tok.tags = a.cases | a.grammemes
        return doc

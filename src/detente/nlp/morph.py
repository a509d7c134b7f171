"""Lemmas and morphology, by the analyser a language's ``language.yaml`` names: ``pymorphy3`` (ru, uk;
with the dawg2 C extension), ``lemminflect`` (en), ``kazakh-suffixes`` (kk: the case-ending analyser of
:mod:`detente.nlp.kkmorph`) or ``none`` (a lowercase lemma only)."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

from detente.doc import Doc
from detente.lang import default_languages, on_change
from detente.nlp.kkmorph import kk_split
from detente.nlp.langdata import word_lists

CASES = {"nomn": "nom", "gent": "gen", "datv": "dat", "accs": "acc", "ablt": "ins", "loct": "loc",
         "voct": "nom", "gen2": "gen", "acc2": "acc", "loc2": "loc", "gen1": "gen", "loc1": "loc"}
_NAME_TAGS = ("Surn", "Name", "Geox", "Patr", "Orgn")


def _morphology(lang: str) -> str:
    found = default_languages().find(lang)
    return found.morphology if found is not None else "none"


def has_dictionary(lang: str) -> bool:
    """True when ``lang`` is analysed with a pymorphy3 dictionary (inflected name forms can be generated)."""
    return _morphology(lang) == "pymorphy3"


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
    tags: frozenset[str] = frozenset()  # cases | grammemes, joined once per word form

    def __post_init__(self) -> None:
        """Join the cases and grammemes once, for the tokens that take this analysis."""
        object.__setattr__(self, "tags", self.cases | self.grammemes)


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


def _plain(word: str) -> Analysis:
    return Analysis(word.lower(), None, None, None, None, None, None, None, frozenset(), frozenset())


def _analyze_kk(word: str) -> Analysis:
    """Kazakh: the form without its case ending as lemma, and the case that ending marks."""
    lemma, case = kk_split(word)
    return Analysis(lemma, None, case, None, None, None, None, None, frozenset({case}), frozenset())


_EN_POS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "ADJ": "ADJF", "ADV": "ADVB", "PROPN": "NOUN"}


def _analyze_en(word: str) -> Analysis:
    """English: lemminflect's lemmas; the verb reading's lemma wins except for "-ing" nouns ("meeting")."""
    from lemminflect import getAllLemmas, getInflection

    low = word.lower()
    found: dict[str, tuple[str, ...]] = getAllLemmas(low)
    verb = found.get("VERB") or found.get("AUX")
    noun = found.get("NOUN")
    pos = _EN_POS.get(next(iter(found))) if len(found) == 1 else None
    if verb and noun and not (low.endswith("ing") and noun[0] == low):
        lemma = verb[0]
    elif noun:
        lemma = noun[0]
    elif verb:
        lemma = verb[0]
    else:
        lemma = next((v[0] for v in found.values() if v), low)
    tense = None
    if verb and low != verb[0] and low in {*getInflection(verb[0], "VBD"), *getInflection(verb[0], "VBN")}:
        tense = "past"
    grammemes = frozenset(k.lower() for k in found)
    return Analysis(lemma.lower(), pos, None, None, None, None, None, tense, frozenset(), grammemes)


@functools.lru_cache(maxsize=20_000)
def analyze_noun_en(word: str) -> str | None:
    """The noun lemma of an English word form, if it can be a noun ("talks" → "talk")."""
    from lemminflect import getAllLemmas

    found: dict[str, tuple[str, ...]] = getAllLemmas(word.lower())
    noun = found.get("NOUN")
    return noun[0].lower() if noun else None


@functools.lru_cache(maxsize=200_000)
def analyze(word: str, lang: str) -> Analysis:
    """Analyze one word form of ``lang``; languages without a dictionary get a lowercase lemma only."""
    if not any(ch.isalpha() for ch in word):
        return _plain(word)
    morphology = _morphology(lang)
    if morphology == "kazakh-suffixes":
        return _analyze_kk(word)
    if morphology == "lemminflect":
        return _analyze_en(word)
    if morphology != "pymorphy3":
        return _plain(word)
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


@functools.lru_cache(maxsize=20_000)
def every_case(word: str, lang: str) -> frozenset[str]:
    """Every case any dictionary parse gives ``word`` ("главы": genitive singular and nominative plural);
    empty for languages without a dictionary."""
    if not has_dictionary(lang):
        return frozenset()
    return frozenset(CASES[str(p.tag.case)] for p in analyzer(lang).parse(word) if str(p.tag.case) in CASES)


def lemmas(word: str, lang: str) -> frozenset[str]:
    """Return every plausible lemma of ``word`` (all parses), for matching trigger words."""
    if not has_dictionary(lang):
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
            tok.tags = a.tags
        positional = {c for c in set(langs) if _morphology(c) == "lemminflect"}
        if positional:
            _english_context(doc, langs, positional)
        return doc


def _english_context(doc: Doc, langs: list[str], positional: set[str]) -> None:
    """English: possessors ("Kazakhstan's") get the genitive; a determiner or "to" settles noun vs verb."""
    cues = {lang: word_lists(lang, "morph") for lang in positional}
    after = {lang: (set(c.get("noun_after", [])), set(c.get("verb_after", []))) for lang, c in cues.items()}
    for prev, tok in itertools.pairwise(doc.tokens):
        if langs[tok.sent] not in positional or prev.sent != tok.sent:
            continue
        noun_after, verb_after = after[langs[tok.sent]]
        if tok.text in ("'s", "’s"):
            prev.case, prev.tags = "gen", prev.tags | {"gen"}
        elif tok.pos is None and {"noun", "verb"} <= tok.tags:
            low = prev.text.lower()
            if low in noun_after:
                tok.pos = "NOUN"
                noun = analyze_noun_en(tok.text)
                if noun:
                    tok.lemma = noun
            elif low in verb_after:
                tok.pos = "VERB"


on_change(analyze.cache_clear)

"""Inflected surface forms of actor names, generated through morphology.

Person names follow surname and first-name paradigms by ending and gender (the dictionaries lack many
foreign and Kazakh surnames); other names inflect their head noun and agreeing adjectives through
pymorphy3. Every form carries the grammatical cases it may stand in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, cast

from detente.lang import default_languages
from detente.nlp.morph import analyzer, has_dictionary

Forms = dict[str, frozenset[str]]


def _merge(into: dict[str, set[str]], form: str, case: str) -> None:
    into.setdefault(form, set()).add(case)


@functools.cache
def _name_paradigms(lang: str) -> dict[str, list[dict[str, Any]]]:
    """The case endings of personal names of ``lang`` (``lang/<lang>/names.yaml``), by gender."""
    language = default_languages().find(lang)
    data = language.data("names") if language is not None else {}
    return {str(k): list(v or []) for k, v in data.items() if isinstance(v, list | None)}


def _rule_locatives(lang: str) -> bool:
    """True when the language's names.yaml asks for rule-built locatives beside the dictionary's."""
    language = default_languages().find(lang)
    return language is not None and bool(language.data("names").get("rule_locatives"))


def _ends_match(low: str, rule: dict[str, Any]) -> bool:
    for end in rule["ends"]:
        if end == "*":
            if low[-1:].isalpha() and low[-1] not in str(rule.get("not_final", "")):
                return True
        elif low.endswith(end):
            return True
    return False


def _paradigm_forms(word: str, lang: str, gender: str) -> dict[str, set[str]]:
    """Case forms of one name word from the language's ending rules (the nominative always included)."""
    out: dict[str, set[str]] = {}
    _merge(out, word, "nom")
    low = word.lower()
    for rule in _name_paradigms(lang).get("f" if gender == "f" else "m", []):
        if not _ends_match(low, rule):
            continue
        stem = word[: len(word) - int(rule.get("strip", 0))]
        for case in ("gen", "dat", "acc", "ins", "loc"):
            for ending in str(rule[case]).split("|"):
                _merge(out, stem + ending, case)
        break
    return out


_GEN_CASES = (("nomn", "nom"), ("gent", "gen"), ("datv", "dat"), ("accs", "acc"), ("ablt", "ins"), ("loct", "loc"))


def _dictionary_parse(word: str, lang: str, tags: tuple[str, ...]) -> object | None:
    """The dictionary parse of ``word`` as a nominative lemma carrying one of ``tags`` (any if empty)."""
    for p in analyzer(lang).parse(word)[:5]:
        grams = p.tag.grammemes
        if "nomn" not in grams or not p.is_known:
            continue
        if tags and not any(t in grams for t in tags):
            continue
        if str(p.normal_form) != word.lower().replace("ё", "е") and str(p.word) != word.lower():
            continue
        return cast(object, p)
    return None


def _dictionary_forms(word: str, lang: str, tags: tuple[str, ...], agree: frozenset[str] = frozenset()) -> dict[
        str, set[str]]:
    """Singular case forms of ``word`` from the dictionary, agreeing in ``agree`` grammemes (gender)."""
    out: dict[str, set[str]] = {}
    p = _dictionary_parse(word, lang, tags)
    if p is None:
        return out
    grams = p.tag.grammemes  # type: ignore[attr-defined]
    base = set(agree)
    if "Pltm" not in grams:
        base.add("plur" if "plur" in grams else "sing")
    for tag, case in _GEN_CASES:
        form = p.inflect({tag, *base})  # type: ignore[attr-defined]
        if form is None:
            form = p.inflect({tag})  # type: ignore[attr-defined]
        if form is not None:
            _merge(out, _restore_case(word, str(form.word)), case)
    return out


def _restore_case(model: str, form: str) -> str:
    """Give ``form`` the capitalisation pattern of ``model`` (Title, UPPER or lower)."""
    if model.isupper() and len(model) > 1:
        return form.upper()
    if model[:1].isupper():
        parts = form.split("-")
        mparts = model.split("-")
        fixed = [p[:1].upper() + p[1:] if i < len(mparts) and mparts[i][:1].isupper() else p
                 for i, p in enumerate(parts)]
        return "-".join(fixed)
    return form


def _person_word(word: str, lang: str, gender: str) -> dict[str, set[str]]:
    if "-" in word:
        head, _, last = word.rpartition("-")
        sub = _person_word(last, lang, gender)
        return {f"{head}-{form}": cases for form, cases in sub.items()}
    rules = _paradigm_forms(word, lang, gender)
    if word[:1].isupper():
        dict_forms = _dictionary_forms(word, lang, ("Name", "Surn"), frozenset({"femn" if gender == "f" else "masc"}))
        for form, cases in dict_forms.items():
            rules.setdefault(form, set()).update(cases)
    return rules


def _combine(per_word: list[dict[str, set[str]]]) -> Forms:
    """Combine word forms that share a case into phrase forms."""
    out: dict[str, set[str]] = {}
    for case in ("nom", "gen", "dat", "acc", "ins", "loc"):
        choices: list[list[str]] = []
        for forms in per_word:
            options = [f for f, cs in forms.items() if case in cs] or [f for f, cs in forms.items() if "nom" in cs]
            choices.append(options)
        phrases = [""]
        for options in choices:
            phrases = [f"{p} {o}".strip() for p in phrases for o in options]
        for phrase in phrases[:16]:
            _merge(out, phrase, case)
    return {k: frozenset(v) for k, v in out.items()}


@functools.lru_cache(maxsize=50_000)
def person_forms(name: str, lang: str, gender: str = "m") -> Forms:
    """Return the case forms of a person's name (every word inflected, by gender)."""
    words = name.split()
    if not has_dictionary(lang) or not words:
        return {name: frozenset({"nom"})}
    return _combine([_person_word(w, lang, gender) for w in words])


def _is_abbreviation(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= len(letters) - 1


ALL_CASES = frozenset({"nom", "gen", "dat", "acc", "ins", "loc"})


def latin_script(text: str) -> bool:
    """True for a word or name in Latin letters only (digits and punctuation aside), which a Cyrillic
    dictionary cannot inflect."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("a" <= ch.lower() <= "z" for ch in letters)


@functools.lru_cache(maxsize=50_000)
def name_forms(name: str, lang: str) -> Forms:
    """Return the case forms of a place or organisation name: the head noun and its adjectives inflect.

    Abbreviations (США, ООН) and names in languages without a dictionary stay as they are.
    """
    words = name.split()
    if words and has_dictionary(lang) and all(latin_script(w) for w in words):
        return {name: ALL_CASES}  # "Orlen", "Equinor" in Cyrillic text take no endings
    if not has_dictionary(lang) or not words or all(_is_abbreviation(w) for w in words):
        return {name: ALL_CASES if words and all(_is_abbreviation(w) for w in words) else frozenset({"nom"})}
    morph = analyzer(lang)
    head = None
    for i, w in enumerate(words):
        if _is_abbreviation(w):
            break
        parses = morph.parse(w)[:3]
        adjective = any("ADJF" in q.tag.grammemes for q in parses) and i + 1 < len(words)
        if not adjective and any("NOUN" in q.tag.grammemes for q in parses):
            head = i
            break
    if head is None:
        head = 0
    head_parse = _dictionary_parse(words[head], lang, ())
    agree: frozenset[str] = frozenset()
    if head_parse is not None:
        head_grams = head_parse.tag.grammemes  # type: ignore[attr-defined]
        agree = frozenset(g for g in ("masc", "femn", "neut", "anim", "inan") if g in head_grams)
        if "plur" in head_grams:
            agree = frozenset(g for g in agree if g not in ("masc", "femn", "neut")) | {"plur"}
    per_word: list[dict[str, set[str]]] = []
    for i, w in enumerate(words):
        if i > head:
            per_word.append({w: {"nom", "gen", "dat", "acc", "ins", "loc"}})
            continue
        forms = _dictionary_forms(w, lang, (), agree if i < head else frozenset())
        if not forms:
            forms = _adjective_or_noun_rules(w, lang)
        elif i == head and len(words) == 1 and _rule_locatives(lang):
            # the Ukrainian dictionary gives one locative ("Брюсселеві"); the news also writes "Брюсселі"
            for form, cases in _adjective_or_noun_rules(w, lang).items():
                if "loc" in cases and form not in forms:
                    forms[form] = {"loc"}
        per_word.append(forms)
    return _combine(per_word)


def _adjective_or_noun_rules(word: str, lang: str) -> dict[str, set[str]]:
    """Fallback paradigm for out-of-dictionary words: treat them like masculine nouns.

    The paradigms are those of personal names; a place or a body is inanimate, so its accusative is
    its nominative ("в Кишинев"), and a name in -ов/-ев/-ин also takes -ом in the instrumental
    ("Кишиневом", not only "Кишиневым").
    """
    out = _paradigm_forms(word, lang, "m")
    out[word].add("acc")
    ins = [f for f, cases in out.items() if "ins" in cases and f.endswith("ым")]
    for form in ins:
        _merge(out, form[:-2] + "ом", "ins")
    return out


@functools.lru_cache(maxsize=20_000)
def adjective_forms(adjective: str, lang: str) -> frozenset[str]:
    """Return every gender, number and case form of a (country) adjective, lowercase."""
    if not has_dictionary(lang):
        return frozenset({adjective.lower()})
    out = {adjective.lower()}
    for p in analyzer(lang).parse(adjective)[:3]:
        if "ADJF" in p.tag.grammemes:
            out.update(str(lx.word) for lx in p.lexeme if "ADJF" in lx.tag.grammemes)
            break
    return frozenset(out)


def all_forms(names: Iterable[str], lang: str) -> Forms:
    """Return the union of :func:`name_forms` of several names."""
    out: dict[str, set[str]] = {}
    for n in names:
        for form, cases in name_forms(n, lang).items():
            out.setdefault(form, set()).update(cases)
    return {k: frozenset(v) for k, v in out.items()}

"""Base forms of BSNLP names: the nominative of a multi-word name, through pymorphy3's inflection.

BSNLP scores a mention's base form ("Андреем Коболевым" → "Андрей Коболев"); this picks the reading of
every word that makes the whole name agree in the nominative.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from detente.nlp.morph import analyzer, has_dictionary

_WORD = re.compile(r"(\w+(?:[-'’ʼ]\w+)*)")
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_ADJ = frozenset({"ADJF", "PRTF"})
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "loc2", "acc2")


def _parses(word: str, lang: str) -> list[Any]:
    parses = list(analyzer(lang).parse(word))
    if word[:1].isupper():  # a capitalised word: name readings first
        parses.sort(key=lambda p: (not (_NAME_TAGS | {"Geox", "Orgn"}) & p.tag.grammemes, -p.score))
    return parses


def _case(p: Any) -> str | None:
    c = p.tag.case
    return str(c) if c else None


def _inflect(p: Any, wanted: list[set[str]]) -> str | None:
    for grams in wanted:
        try:
            form = p.inflect(grams)
        except ValueError:
            form = None
        if form is not None:
            return str(form.word)
    return None


def _restyle(new: str, old: str) -> str:
    """Give ``new`` the capitalisation of ``old`` (upper, title per hyphen part, or lower)."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    olds = re.split(r"([-'’ʼ])", old)
    news = re.split(r"([-'’ʼ])", new)
    if len(olds) == len(news):
        return "".join(n[:1].upper() + n[1:] if o[:1].isupper() else n for o, n in zip(olds, news, strict=True))
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def _number(p: Any) -> str:
    """The number of a reading; Ukrainian tags leave the singular unmarked."""
    return str(p.tag.number) if p.tag.number else ("plur" if "Pltm" in p.tag.grammemes else "sing")


def _penalty(p: Any, c: str) -> int:
    """How unlikely a reading is as a name's head: nominative singular best, oblique plural worst."""
    plural = _number(p) == "plur" and "Fixd" not in p.tag.grammemes
    return (2 if plural else 0) + (0 if c == "nomn" else 1)


def _readings(word: str, lang: str) -> list[Any]:
    """The readings of ``word`` worth considering; [] means "leave as written" (unknown, Latin, digits)."""
    parses = [p for p in _parses(word, lang) if _case(p) is not None]
    if any("Infr" not in p.tag.grammemes for p in parses):  # informal readings ("європи" as a plurale tantum)
        parses = [p for p in parses if "Infr" not in p.tag.grammemes]
    if word[:1].isupper():  # plural person names ("Сайфул" as gen. pl. of "Сайфула") are guesser noise
        singular = [p for p in parses if not (_NAME_TAGS & p.tag.grammemes and p.tag.number == "plur")]
        parses = singular if singular or not parses else []
    return parses


Member = tuple[int, Any]  # word index and the reading it is put in (None: left as written)


def _agrees(adj: Any, head: Any) -> bool:
    if _number(adj) != _number(head):
        return False
    return not (adj.tag.gender and head.tag.gender and _number(head) == "sing" and adj.tag.gender != head.tag.gender)


def _analyses(words: list[str], readings: list[list[Any]]) -> list[tuple[tuple[int, int, float], str, list[Member]]]:
    """Every consistent agreement group: (rank key, case, members)."""
    out: list[tuple[tuple[int, int, float], str, list[Member]]] = []
    n = len(words)
    for h in range(n):
        if h and not all(any(p.tag.POS in _ADJ for p in readings[i]) for i in range(h)):
            break
        for c in _CASES:
            heads = sorted((p for p in readings[h] if p.tag.POS == "NOUN" and _case(p) == c),
                           key=lambda p: (_penalty(p, c), -p.score))
            if not heads and (readings[h] or h):
                continue
            hp = heads[0] if heads else None  # None: an unknown word heads ("Мэй", "Nord")
            members: list[Member] = []
            for i in range(h):
                fit = [p for p in readings[i] if p.tag.POS in _ADJ and _case(p) == c and (hp is None or _agrees(p, hp))]
                if not fit:
                    break
                members.append((i, fit[0]))
            if len(members) < h:
                continue
            members.append((h, hp))
            person = hp is None or bool(_NAME_TAGS & hp.tag.grammemes)
            if person and (hp is not None or words[h][:1].isupper()):
                # "Дональда Трампа", "Джереми Ханта": the parts of a person's name follow in the same case
                for i in range(h + 1, n):
                    if not readings[i]:
                        members.append((i, None))
                        continue
                    fit = [p for p in readings[i] if p.tag.POS == "NOUN" and _case(p) == c
                           and (_NAME_TAGS & p.tag.grammemes or words[i][:1].isupper())
                           and (hp is None or not p.tag.gender or not hp.tag.gender or p.tag.gender == hp.tag.gender)]
                    if not fit:
                        break
                    members.append((i, fit[0]))
            known = [p for _, p in members if p is not None]
            if not known:
                continue
            if hp is None and not any(_case(p) == c for p in known):
                continue
            penalty = sum(_penalty(p, c) for p in known)
            out.append(((len(members), -penalty, sum(p.score for p in known)), c, members))
    return out


@functools.lru_cache(maxsize=100_000)
def base_form(text: str, lang: str) -> str:
    """Return the nominative base form of the name phrase ``text`` in ``lang`` (unchanged if it already is)."""
    if not has_dictionary(lang):
        return text
    pieces = _WORD.split(text)
    words = pieces[1::2]
    if not words:
        return text
    readings = [_readings(w, lang) for w in words]
    found = _analyses(words, readings)
    if not found:
        return text
    _, case, members = max(found, key=lambda a: a[0])
    if case == "nomn":
        return text
    head = next((p for _, p in members if p is not None and p.tag.POS == "NOUN"), None)
    number = _number(head) if head is not None else None
    gender = str(head.tag.gender) if head is not None and head.tag.gender else None
    for i, p in members:
        if p is None:
            continue
        wanted: list[set[str]] = []
        if p.tag.POS in _ADJ:
            if number == "plur":
                wanted.append({"nomn", "plur"})
            elif gender:
                wanted.extend([{"nomn", "sing", gender}, {"nomn", gender}])
        elif number:
            wanted.append({"nomn", number})
        wanted.append({"nomn"})
        new = _inflect(p, wanted)
        if new is None:
            continue
        pieces[2 * i + 1] = _restyle(new.replace("ё", "е") if "ё" not in words[i] else new, words[i])
    return "".join(pieces)


# ---- scoring -------------------------------------------------------------------------------------

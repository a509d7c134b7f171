"""Kazakh and English event coding: case endings and stems (kk), word order, possessives and voice (en)."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.doc import Article
from detente.events.rules import RuleError, parse_rules
from detente.nlp.kkmorph import kk_split, kk_unpossess
from detente.nlp.segment import split_tokens
from detente.output import event_dict
from detente.pipeline import Pipeline


def _brief(pipeline: Pipeline, text: str, published: str = "2025-08-11") -> list[tuple[object, ...]]:
    doc = pipeline.process(Article(text=text, name="t", published=dt.date.fromisoformat(published)))
    out = []
    for ev in doc.events:
        e = event_dict(doc, ev)
        src, tgt = e["source"] or {}, e["target"] or {}
        out.append((e["cameo"], src.get("country"), tgt.get("country"), e["modality"]))  # type: ignore[union-attr]
    return out


@pytest.mark.parametrize(("word", "expected"), [
    ("Тоқаевпен", ("тоқаев", "ins")),
    ("басшысына", ("басшысы", "dat")),
    ("Ресейдің", ("ресей", "gen")),
    ("Украина", ("украина", "nom")),
    ("Астанада", ("астана", "loc")),
    ("Мәскеуден", ("мәскеу", "abl")),
    ("БҰҰ-ның", ("бұұ", "gen")),
    ("АҚШ-қа", ("ақш", "dat")),
])
def test_kazakh_case_endings(word: str, expected: tuple[str, str]) -> None:
    assert kk_split(word) == expected


def test_kazakh_possessive() -> None:
    assert kk_unpossess("президенті") == "президент"
    assert kk_unpossess("тарапы") == "тарап"


def test_english_possessive_is_a_token() -> None:
    words = [t for _, _, t in split_tokens("Kazakhstan's partner, Russia’s envoy")]
    assert words[:2] == ["Kazakhstan", "'s"]
    assert "’s" in words


@pytest.mark.parametrize(("text", "expected"), [
    ("Тоқаев Жапаровпен телефон арқылы сөйлесті.", ("041", "KAZ", "KGZ", "asserted")),
    ("Тоқаев ертең Путинмен кездеседі.", ("036", "KAZ", "RUS", "future")),
    ("Қазақстан Ресей мен Украинаны келіссөздерге шақырды.", ("020", "KAZ", "UKR", "asserted")),
    ("Қырғызстан Президенті Қасым-Жомарт Тоқаевты Бішкекке ресми сапармен келуге шақырды.",
     ("036", "KGZ", "KAZ", "asserted")),
    ("Мемлекет басшысы Жапаровқа алғыс айтты.", ("051", "KAZ", "KGZ", "asserted")),
])
def test_kazakh_frames(pipeline: Pipeline, text: str, expected: tuple[object, ...]) -> None:
    assert expected in _brief(pipeline, text)


def test_kazakh_negation_suffix(pipeline: Pipeline) -> None:
    assert ("043", "KAZ", "RUS", "negated") in _brief(pipeline, "Тоқаев Путинмен кездеспеді.")


@pytest.mark.parametrize(("text", "expected"), [
    ("President Kassym-Jomart Tokayev held a phone call with President of Uzbekistan Shavkat Mirziyoyev.",
     ("041", "KAZ", "UZB", "asserted")),
    ("Trump will meet Putin in Alaska on Friday.", ("036", "USA", "RUS", "future")),
    ("Lavrov condemned Poland's decision.", ("111", "RUS", "POL", "asserted")),
    ("Zelensky thanked Merz for his support.", ("051", "UKR", "DEU", "asserted")),
    ("Russia's U.N. Ambassador criticised Ukraine.", ("111", "RUS", "UKR", "asserted")),
])
def test_english_frames(pipeline: Pipeline, text: str, expected: tuple[object, ...]) -> None:
    assert expected in _brief(pipeline, text)


def test_english_voice_and_complements(pipeline: Pipeline) -> None:
    # a passive with no agent names no source; an act inside a demand did not happen
    assert _brief(pipeline, "Teams from China and Latvia have been invited to Astana.") == []
    evs = _brief(pipeline, "The assembly demanded that Russia return the children to Ukraine.")
    assert not any(code == "0841" for code, *_ in evs)
    # the support is Merz's, not a second act of Zelensky's
    assert not any(code == "051" and src == "DEU" for code, src, *_ in _brief(
        pipeline, "Zelensky thanked Merz for his support."))


def test_yaml_booleans_in_rules_are_refused() -> None:
    with pytest.raises(RuleError, match="not text"):
        parse_rules({"markers": {"negation": ["not", False]}}, "en", "test.yaml")


def test_owner_before_an_unresolved_role_ends(pipeline: Pipeline) -> None:
    # an organisation before a role noun that names no one ("NATO Nations") must not loop
    doc = pipeline.process(Article(text="All NATO Nations must meet their 2% commitment.", name="t", lang="en"))
    assert any(e.text == "NATO" for e in doc.entities)

"""The Russian syntax stage: heads on our own tokens, and slot filling that uses them."""

from __future__ import annotations

import datetime as dt

from detente.doc import Article
from detente.nlp.syntax import parse_words
from detente.pipeline import DEFAULT_STAGES, Pipeline

WITH = list(DEFAULT_STAGES)
WITHOUT = [s for s in DEFAULT_STAGES if s != "syntax"]


def _events(names: list[str], text: str) -> set[tuple[str, str | None, str | None]]:
    doc = Pipeline.from_names(names).process(Article(text=text, name="t.txt", published=dt.date(2025, 6, 3), lang="ru"))
    return {(e.cameo[:2], e.source.country if e.source else None, e.target.country if e.target else None)
            for e in doc.events}


def test_parse_words_gives_a_head_and_relation_per_word() -> None:
    parsed = parse_words(["Путин", "провел", "переговоры", "с", "Зеленским", "."])
    assert len(parsed) == 6
    assert parsed[0] == (2, "nsubj") and parsed[1] == (0, "root")


def test_the_stage_runs_by_default_right_before_the_coder() -> None:
    assert DEFAULT_STAGES.index("syntax") == DEFAULT_STAGES.index("events") - 1


def test_heads_land_on_our_tokens_of_russian_sentences_with_an_actor_and_a_trigger() -> None:
    text = "Лавров и Кошербаев обсудили в Москве двусторонние отношения. Погода была теплой."
    doc = Pipeline.from_names(WITH).process(Article(text=text, name="t.txt", lang="ru"))
    first = [t for t in doc.tokens if t.sent == 0]
    assert all(t.deprel for t in first)
    lavrov, verb = first[0], first[3]
    assert lavrov.deprel == "nsubj" and lavrov.head == doc.tokens.index(verb) and verb.head == -1
    assert all(t.head is None for t in doc.tokens if t.sent == 1)  # no actor, no trigger: not parsed


def test_a_conjunct_after_a_relative_clause_becomes_the_other_party() -> None:
    text = ("Президент Турции Реджеп Тайип Эрдоган, который накануне прилетел в Астану, и Касым-Жомарт Токаев "
            "подписали декларацию.")
    assert ("05", "TUR", "KAZ") not in _events(WITHOUT, text)  # word order alone loses the first party
    assert ("05", "TUR", "KAZ") in _events(WITH, text)


def test_companies_in_quotes_are_coordinated_by_the_parse() -> None:
    text = "«Нафтогаз» и SOCAR подписали соглашение о поставках газа."
    assert ("05", "UKR", "AZE") in _events(WITH, text)


def test_a_batch_of_sentences_parses_as_each_sentence_alone() -> None:
    from detente.nlp.syntax import parse_sentences

    texts = ("Путин провел переговоры с Зеленским .",
             "Президент Турции , который накануне прилетел в Астану , и Токаев подписали декларацию .",
             "Лавров и Кошербаев обсудили отношения .")
    sents = [t.split() for t in texts]
    assert parse_sentences(sents) == [parse_words(s) for s in sents]

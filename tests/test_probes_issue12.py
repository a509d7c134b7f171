"""Probes for the systematic errors listed in issue 12, each on a sentence the team wrote for it."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.doc import Article, Doc
from detente.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_names()


def _run(pipe: Pipeline, text: str, lang: str) -> Doc:
    return pipe.process(Article(text=text, name="probe.txt", published=dt.date(2026, 3, 12), lang=lang))


@pytest.mark.parametrize(("lang", "text"), [
    ("uk", "Того ж дня Сибіга провів переговори з главою МЗС Молдови."),
    ("ru", "Того же дня Лавров провел переговоры с министром иностранных дел Армении."),
])
def test_that_same_day_is_not_togo(pipe: Pipeline, lang: str, text: str) -> None:
    doc = _run(pipe, text, lang)
    assert "TGO" not in {e.country for e in doc.entities}
    assert all("TGO" not in (ev.source and ev.source.country, ev.target and ev.target.country) for ev in doc.events)


def test_togo_is_still_togo_inside_a_sentence(pipe: Pipeline) -> None:
    doc = _run(pipe, "Президент Казахстана провел встречу с президентом Того в Астане.", "ru")
    assert "TGO" in {e.country for e in doc.entities}


@pytest.mark.parametrize(("lang", "text"), [
    ("ru", "Делегация прибудет в Баку 14 окт. 2026 года, сообщили в МИД."),
    ("en", "The delegation will arrive in Baku on Oct. 14, the ministry said."),
])
def test_an_abbreviated_month_keeps_its_sentence(pipe: Pipeline, lang: str, text: str) -> None:
    doc = _run(pipe, text, lang)
    assert len(doc.sents) == 1, [doc.text[s.start:s.end] for s in doc.sents]
    assert any(t.value is not None and t.value.endswith("-10-14") for t in doc.times)


@pytest.mark.parametrize(("lang", "text", "country"), [
    ("ru", "Министр заявил, что россия несет ответственность за срыв переговоров с Молдовой.", "RUS"),
    ("uk", "Речник МЗС заявив, що росія порушила домовленості з Молдовою.", "RUS"),
])
def test_a_country_name_in_lower_case_is_linked(pipe: Pipeline, lang: str, text: str, country: str) -> None:
    doc = _run(pipe, text, lang)
    assert country in {e.country for e in doc.entities if e.text.islower()}


def test_a_lower_case_word_that_spells_a_capital_is_not_linked(pipe: Pipeline) -> None:
    doc = _run(pipe, "Оппозиция назвала решение прихотью тирана и вышла на улицы.", "ru")
    assert "ALB" not in {e.country for e in doc.entities}


@pytest.mark.parametrize(("lang", "text", "source", "target"), [
    ("ru", "Газпром подписал соглашение с КазМунайГазом о поставках газа.", "RUS", "KAZ"),
    ("en", "KazMunayGas signed an oil transit agreement with SOCAR on Tuesday.", "KAZ", "AZE"),
])
def test_state_companies_act_for_their_state(pipe: Pipeline, lang: str, text: str, source: str, target: str) -> None:
    doc = _run(pipe, text, lang)
    assert any(e.kind == "company" for e in doc.entities)
    assert any(ev.source is not None and ev.source.country == source and ev.target is not None
               and ev.target.country == target for ev in doc.events), doc.events

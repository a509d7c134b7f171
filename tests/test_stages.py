"""Unit tests of the language stages: segmentation, language ID, morphology, KB forms and linking."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.doc import Article, Doc
from detente.kb.base import default_kb
from detente.kb.forms import name_forms, person_forms
from detente.nlp.kkmorph import kk_stem
from detente.nlp.langid import detect, detect_document
from detente.nlp.morph import analyze
from detente.nlp.segment import split_sentences, split_tokens
from detente.pipeline import Pipeline, PipelineError


def test_sentences_break_at_lines_and_keep_offsets() -> None:
    text = "Заголовок без точки\n\nПервое предложение. Второе! А это «цитата». \nПоследнее"
    spans = split_sentences(text)
    assert [text[s:e] for s, e, _ in spans] == ["Заголовок без точки", "Первое предложение.", "Второе!",
                                                "А это «цитата».", "Последнее"]
    assert [p for _, _, p in spans] == [0, 1, 1, 1, 1]


def test_tokens_keep_ukrainian_apostrophes() -> None:
    toks = [t for _, _, t in split_tokens("Організації Об’єднаних Націй у п'ятницю 'так'")]
    assert "Об’єднаних" in toks and "п'ятницю" in toks and "так" in toks


@pytest.mark.parametrize(("text", "lang"), [
    ("Президент Казахстана провел телефонный разговор с президентом Украины.", "ru"),
    ("Президент Казахстану провів телефонну розмову з президентом України.", "uk"),
    ("Қазақстан Президенті Украина президентімен телефон арқылы сөйлесті.", "kk"),
    ("The president of Kazakhstan spoke by phone with the president of Ukraine.", "en"),
])
def test_langid(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_langid_per_sentence_in_mixed_article() -> None:
    main, per = detect_document(["Президент Казахстана провел телефонный разговор с президентом Украины.",
                                 "Президент Казахстану провів телефонну розмову з президентом України.",
                                 "Коротко."])
    assert per[:2] == ["ru", "uk"] and per[2] == main


def test_morphology_cases() -> None:
    assert analyze("Путиным", "ru").case == "ins"
    assert analyze("позвонил", "ru").lemma == "позвонить"
    assert analyze("Росією", "uk").lemma == "росія"
    assert analyze("буде", "uk").tense == "futr"


def test_person_forms_are_generated() -> None:
    forms = person_forms("Касым-Жомарт Токаев", "ru", "m")
    assert forms["Касым-Жомарту Токаеву"] == {"dat"}
    assert "ins" in forms["Касым-Жомартом Токаевым"]
    uk = person_forms("Володимир Зеленський", "uk", "m")
    assert "gen" in uk["Володимира Зеленського"]
    assert "ins" in person_forms("Андрій Сибіга", "uk", "m")["Андрієм Сибігою"]


def test_name_forms_inflect_head_and_adjectives() -> None:
    forms = name_forms("Белый дом", "ru")
    assert "gen" in forms["Белого дома"] and "loc" in forms["Белом доме"]
    assert "gen" in name_forms("Соединённые Штаты", "ru")["Соединённых Штатов"]
    assert name_forms("США", "ru")["США"] >= {"nom", "gen", "dat"}


def test_kazakh_suffix_stripping() -> None:
    assert kk_stem("зеленскиймен") == "зеленский"
    assert kk_stem("тоқаевтың") == "тоқаев"


def test_kb_role_holders_by_date() -> None:
    kb = default_kb()
    assert kb.holder("head_of_state", "USA", dt.date(2025, 8, 11)).name == "Donald Trump"  # type: ignore[union-attr]
    assert kb.holder("head_of_state", "USA", dt.date(2023, 5, 1)).name == "Joe Biden"  # type: ignore[union-attr]
    assert kb.holder("head_of_state", "KAZ", dt.date(2025, 8, 11)).name == "Kassym-Jomart Tokayev"  # type: ignore[union-attr]


def _doc(pipeline: Pipeline, text: str, published: str = "2025-08-11", outlet: str | None = None) -> Doc:
    return pipeline.process(Article(text=text, name="t", published=dt.date.fromisoformat(published), outlet=outlet))


def test_linker_roles_and_pronouns(pipeline: Pipeline) -> None:
    doc = _doc(pipeline, "Глава МИД России Сергей Лавров прибыл в Астану. Он встретился с президентом Казахстана. "
                         "Позже российский диктатор выступил с заявлением.", published="2025-03-01")
    by_text = {e.text: e for e in doc.entities}
    assert by_text["Глава МИД России Сергей Лавров"].name == "Sergey Lavrov"
    assert by_text["Он"].name == "Sergey Lavrov"
    assert by_text["президентом Казахстана"].name == "Kassym-Jomart Tokayev"
    assert by_text["российский диктатор"].name == "Vladimir Putin"
    assert by_text["Астану"].country == "KAZ"


def test_role_resolves_by_date(pipeline: Pipeline) -> None:
    old = _doc(pipeline, "Президент США выступил в Конгрессе.", published="2023-05-01")
    new = _doc(pipeline, "Президент США выступил в Конгрессе.", published="2025-08-11")
    assert old.entities[0].name == "Joe Biden"
    assert new.entities[0].name == "Donald Trump"


def test_pipeline_checks_stage_requirements() -> None:
    with pytest.raises(PipelineError, match="needs"):
        Pipeline.from_names(["morph", "segment"])
    with pytest.raises(PipelineError, match="unknown pipeline stage"):
        Pipeline.from_names(["segment", "nope"])


def test_ukrainian_name_model(pipeline: Pipeline) -> None:
    """The Ukrainian CRF proposes names the KB does not know, typed."""
    doc = _doc(pipeline, "Голова правління ПриватБанку Олег Гороховський зустрівся з мером Львова Андрієм Садовим.")
    found = {(e.text, e.type) for e in doc.entities if e.via in ("ner", "name", "surname")}
    assert ("Олег Гороховський", "PER") in found
    assert any(t == "LOC" and "Львова" in x for x, t in found)

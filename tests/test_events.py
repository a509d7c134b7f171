"""Event coding on short sentences: slots by case and preposition, modality, dates, quotes, rule files."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.doc import Article
from detente.events.cameo import UnknownCameoCode, codebook, lookup
from detente.events.quotes import find_quote_spans
from detente.events.rules import RuleError, parse_rules
from detente.output import event_dict
from detente.pipeline import Pipeline


def _events(pipeline: Pipeline, text: str, published: str = "2025-08-11") -> list[dict[str, object]]:
    doc = pipeline.process(Article(text=text, name="t", published=dt.date.fromisoformat(published)))
    return [event_dict(doc, ev) for ev in doc.events]


def _brief(evs: list[dict[str, object]]) -> list[tuple[object, ...]]:
    out = []
    for e in evs:
        src, tgt = e["source"], e["target"]
        out.append((e["cameo"], (src or {}).get("country"), (tgt or {}).get("country") if tgt else None,  # type: ignore[attr-defined]
                    e["modality"], e["date"]))
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("Вчера Путин позвонил Токаеву.", ("041", "RUS", "KAZ", "asserted", "2025-08-10")),
    ("Токаев провел телефонный разговор с Зеленским.", ("041", "KAZ", "UKR", "asserted", "2025-08-11")),
    ("Трамп собирается провести встречу с Путиным 15 августа.", ("036", "USA", "RUS", "future", "2025-08-15")),
    ("Зеленський провів телефонну розмову з Токаєвим.", ("041", "UKR", "KAZ", "asserted", "2025-08-11")),
    ("Сибіга розкритикував Угорщину.", ("111", "UKR", "HUN", "asserted", "2025-08-11")),
])
def test_basic_frames(pipeline: Pipeline, text: str, expected: tuple[object, ...]) -> None:
    assert expected in _brief(_events(pipeline, text))


def test_negated_concession_is_a_refusal(pipeline: Pipeline) -> None:
    evs = _brief(_events(pipeline, "Зеленский заявил, что Киев не будет отдавать свою землю."))
    assert ("124", "UKR", None, "asserted", None) in [(c, s, t, m, None) for c, s, t, m, _ in evs]


def test_negated_and_hypothetical(pipeline: Pipeline) -> None:
    neg = _brief(_events(pipeline, "Казахстан не является посредником между Россией и Украиной."))
    assert neg and all(m == "negated" for _, _, _, m, _ in neg)
    hyp = _brief(_events(pipeline, "Якщо Росія погодиться, Зеленський зустрінеться з Путіним."))
    assert hyp and hyp[0][3] == "hypothetical"


def test_quote_speaker_is_source(pipeline: Pipeline) -> None:
    text = '"Я благодарен Казахстану за поддержку", - сказал Зеленский.'
    evs = _events(pipeline, text)
    assert evs and evs[0]["source"]["country"] == "UKR"  # type: ignore[index]
    assert evs[0]["quote"] is not None


def test_questions_are_not_events(pipeline: Pipeline) -> None:
    assert _events(pipeline, "Чи готовий Казахстан організувати зустріч Зеленського з Путіним?") == []


def test_quote_spans_nest() -> None:
    text = 'Он сказал: "Казахстан готов выступить с "добрыми услугами" везде". Потом «другое».'
    spans = [text[s:e] for s, e in find_quote_spans(text)]
    assert spans == ['Казахстан готов выступить с "добрыми услугами" везде', "другое"]


def test_codebook() -> None:
    assert lookup("041").label == "Discuss by telephone"
    assert lookup("124").quad_class == 3 and lookup("124").plover == "REJECT"
    assert len(codebook()) > 300
    with pytest.raises(UnknownCameoCode):
        lookup("999")


def test_rule_file_errors_name_the_rule() -> None:
    with pytest.raises(RuleError, match=r"ru\.bad: unknown CAMEO code"):
        parse_rules({"rules": [{"id": "ru.bad", "cameo": "999", "triggers": ["x"]}]}, "ru", "test.yaml")
    with pytest.raises(RuleError, match="unknown slot"):
        parse_rules({"rules": [{"id": "ru.bad", "cameo": "041", "triggers": ["x"], "source": ["nowhere"]}]},
                    "ru", "test.yaml")


@pytest.mark.parametrize(("text", "expected"), [
    # the owner of a prepositional object is the target
    ("Росія завдала масованого удару по енергетичній інфраструктурі України.", ("190", "RUS", "UKR")),
    # an institution in the locative with a plural verb is the source
    ("У МЗС України засудили заяву Угорщини.", ("111", "UKR", "HUN")),
    # conjoined subjects of a symmetric event meet each other
    ("Зеленський та Трамп зустрілися у Ватикані.", ("043", "UKR", "USA")),
    ("Президенти України та Молдови підписали спільну декларацію.", ("057", "UKR", "MDA")),
    # a country adjective inside a role phrase; a national body as an actor
    ("Глава российской дипломатии Сергей Лавров провел переговоры с Марко Рубио.", ("046", "RUS", "USA")),
    ("Вооруженные силы России нанесли удар по Киеву.", ("190", "RUS", "UKR")),
    ("В Кремле отвергли обвинения Варшавы.", ("120", "RUS", "POL")),
    ("Путин и Си Цзиньпин провели переговоры в Кремле.", ("046", "RUS", "CHN")),
    ("Армения приостановила участие в ОДКБ.", ("161", "ARM", None)),
    ("Токаев поздравил Трампа с победой на выборах.", ("051", "KAZ", "USA")),
    # with no subject, the parties of a symmetric act are the compound after "між"/"между"
    ("Було підписано меморандум про співпрацю між Україною та Казахстаном.", ("057", "UKR", "KAZ")),
    # the genitive right after an attack noun is the attacker, even when the sentence's subject condemns it
    ("Цахкна засудив чергову масовану атаку Росії на енергетику України.", ("190", "RUS", "UKR")),
    ("Сибіга провів зустріч з естонським колегою у Таллінні.", ("042", "UKR", "EST")),  # met in Estonia: a visit
    ("Таллінн продовжить допомагати Києву.", ("033", "EST", "UKR")),
    ("Литва вислала трьох російських дипломатів.", ("1663", "LTU", "RUS")),
    ("Прикордонники України затримали громадянина Росії.", ("173", "UKR", "RUS")),
    # the subject of the main clause, not an object that could be read as nominative ("Китай")
    ("Моди посетил Китай, где провел переговоры с председателем КНР Си Цзиньпином.", ("046", "IND", "CHN")),
])
def test_general_frames(pipeline: Pipeline, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in [(c, s, t) for c, s, t, _, _ in _brief(_events(pipeline, text, "2025-06-10"))]



def test_symmetric_reports_merge_across_directions(pipeline: Pipeline) -> None:
    evs = _brief(_events(pipeline, "У Джидді відбулися переговори між делегаціями України та США.", "2025-06-10"))
    assert [(c, s, t) for c, s, t, _, _ in evs] == [("046", "UKR", "USA")]

"""Tests for detente.nlp.times: finding time expressions and resolving them against the publication date."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import sys
import time
from pathlib import Path

import pytest

if importlib.util.find_spec("detente") is None:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente.doc import Doc, Sentence
from detente.nlp.times import TimeTagger, find_times

PUB = dt.date(2025, 8, 11)  # a Monday
SEED = Path("/work/shared/seeds/000_e5002aae462662f6.txt")

# (lang, sentence, the expression as it must be spanned, value, precision)
CASES: list[tuple[str, str, str, str, str]] = [
    # --- Russian
    ("ru", "Напомним, 8 августа Путин позвонил.", "8 августа", "2025-08-08", "day"),
    ("ru", "Встреча пройдёт 15 августа на Аляске.", "15 августа", "2025-08-15", "day"),
    ("ru", "Указ подписан 8 августа 2025 года в Москве.", "8 августа 2025 года", "2025-08-08", "day"),
    ("ru", "Указ подписан 8 августа 2025 г. в Москве.", "8 августа 2025 г.", "2025-08-08", "day"),
    ("ru", "Это случилось 8-го августа.", "8-го августа", "2025-08-08", "day"),
    ("ru", "Переговоры прошли в августе.", "в августе", "2025-08", "month"),
    ("ru", "Переговоры прошли в августе 2024 года.", "в августе 2024 года", "2024-08", "month"),
    ("ru", "Переговоры прошли в августе прошлого года.", "в августе прошлого года", "2024-08", "month"),
    ("ru", "Соглашение заключено в 2024 году.", "в 2024 году", "2024", "year"),
    ("ru", "Итоги за 2024 год подведены.", "2024 год", "2024", "year"),
    ("ru", "Об этом он заявил вчера.", "вчера", "2025-08-10", "day"),
    ("ru", "Об этом он заявил позавчера.", "позавчера", "2025-08-09", "day"),
    ("ru", "Сегодня министры встретились.", "Сегодня", "2025-08-11", "day"),
    ("ru", "Министры встретятся завтра.", "завтра", "2025-08-12", "day"),
    ("ru", "Министры встретятся послезавтра.", "послезавтра", "2025-08-13", "day"),
    ("ru", "Он прилетел в понедельник.", "в понедельник", "2025-08-11", "day"),
    ("ru", "Он прилетел во вторник.", "во вторник", "2025-08-05", "day"),
    ("ru", "Он прилетел в среду.", "в среду", "2025-08-06", "day"),
    ("ru", "Он прилетел в четверг.", "в четверг", "2025-08-07", "day"),
    ("ru", "Он прилетел в пятницу.", "в пятницу", "2025-08-08", "day"),
    ("ru", "Он прилетел в субботу.", "в субботу", "2025-08-09", "day"),
    ("ru", "Он прилетел в воскресенье.", "в воскресенье", "2025-08-10", "day"),
    ("ru", "Он прилетел в прошлый вторник.", "в прошлый вторник", "2025-08-05", "day"),
    ("ru", "Он прилетит в следующую среду.", "в следующую среду", "2025-08-13", "day"),
    ("ru", "Он прилетит в эту пятницу.", "в эту пятницу", "2025-08-15", "day"),
    ("ru", "Переговоры шли на прошлой неделе.", "на прошлой неделе", "2025-W32", "week"),
    ("ru", "Переговоры идут на этой неделе.", "на этой неделе", "2025-W33", "week"),
    ("ru", "Переговоры пройдут на следующей неделе.", "на следующей неделе", "2025-W34", "week"),
    ("ru", "Переговоры шли в прошлом месяце.", "в прошлом месяце", "2025-07", "month"),
    ("ru", "Переговоры шли в прошлом году.", "в прошлом году", "2024", "year"),
    ("ru", "Переговоры пройдут в следующем году.", "в следующем году", "2026", "year"),
    ("ru", "Документ датирован 8.08.2025.", "8.08.2025", "2025-08-08", "day"),
    ("ru", "Документ датирован 08.08.2025 и подписан.", "08.08.2025", "2025-08-08", "day"),
    ("ru", "Документ датирован 2025-08-08 и подписан.", "2025-08-08", "2025-08-08", "day"),
    ("ru", "Форум пройдёт 1–2 сентября в Астане.", "1–2 сентября", "2025-09-01", "day"),
    ("ru", "Форум пройдёт 1-2 сентября в Астане.", "1-2 сентября", "2025-09-01", "day"),
    ("ru", "Учения пройдут с 1 по 5 сентября.", "с 1 по 5 сентября", "2025-09-01", "day"),
    ("ru", "Учения пройдут с 30 августа по 2 сентября.", "с 30 августа по 2 сентября", "2025-08-30", "day"),
    ("ru", "Санкции действуют с 8 августа.", "8 августа", "2025-08-08", "day"),
    ("ru", "Это произошло в конце августа 2024 года.", "в конце августа 2024 года", "2024-08", "month"),
    ("ru", "Это произошло три дня назад.", "три дня назад", "2025-08-08", "day"),
    ("ru", "Решение примут через неделю.", "через неделю", "2025-W34", "week"),
    # --- Ukrainian
    ("uk", "Зеленський заявив це 8 серпня.", "8 серпня", "2025-08-08", "day"),
    ("uk", "Зустріч відбудеться 15 серпня 2025 року.", "15 серпня 2025 року", "2025-08-15", "day"),
    ("uk", "Переговори відбулися у серпні.", "у серпні", "2025-08", "month"),
    ("uk", "Переговори відбулися в 2024 році.", "в 2024 році", "2024", "year"),
    ("uk", "Угода діє з 2024 року.", "2024 року", "2024", "year"),
    ("uk", "Про це він сказав вчора.", "вчора", "2025-08-10", "day"),
    ("uk", "Про це він сказав позавчора.", "позавчора", "2025-08-09", "day"),
    ("uk", "Про це він сказав сьогодні.", "сьогодні", "2025-08-11", "day"),
    ("uk", "Делегація прибуде завтра.", "завтра", "2025-08-12", "day"),
    ("uk", "Він виступив у вівторок.", "у вівторок", "2025-08-05", "day"),
    ("uk", "Він виступив в понеділок.", "в понеділок", "2025-08-11", "day"),
    ("uk", "Він виступив у середу.", "у середу", "2025-08-06", "day"),
    ("uk", "Він виступив у четвер.", "у четвер", "2025-08-07", "day"),
    ("uk", "Він виступив у п'ятницю.", "у п'ятницю", "2025-08-08", "day"),
    ("uk", "Він виступив у п’ятницю.", "у п’ятницю", "2025-08-08", "day"),
    ("uk", "Він виступив у пʼятницю.", "у пʼятницю", "2025-08-08", "day"),
    ("uk", "Він виступив в суботу.", "в суботу", "2025-08-09", "day"),
    ("uk", "Він виступив в неділю.", "в неділю", "2025-08-10", "day"),
    ("uk", "Він виступить наступного вівторка.", "наступного вівторка", "2025-08-12", "day"),
    ("uk", "Переговори тривали минулого тижня.", "минулого тижня", "2025-W32", "week"),
    ("uk", "Переговори тривають цього тижня.", "цього тижня", "2025-W33", "week"),
    ("uk", "Переговори відбудуться наступного тижня.", "наступного тижня", "2025-W34", "week"),
    ("uk", "Це сталося минулого місяця.", "минулого місяця", "2025-07", "month"),
    ("uk", "Це сталося минулого року.", "минулого року", "2024", "year"),
    ("uk", "Це станеться наступного року.", "наступного року", "2026", "year"),
    ("uk", "Це сталося торік.", "торік", "2024", "year"),
    ("uk", "Навчання тривали з 1 по 5 вересня.", "з 1 по 5 вересня", "2025-09-01", "day"),
    # --- Kazakh
    ("kk", "Сапар 6 қыркүйекте басталады.", "6 қыркүйекте", "2025-09-06", "day"),
    ("kk", "Президент 8 тамызда сөйледі.", "8 тамызда", "2025-08-08", "day"),
    ("kk", "Қаулы 8 тамыз күні шықты.", "8 тамыз", "2025-08-08", "day"),
    ("kk", "Қаулы 2025 жылғы 8 тамызда қабылданды.", "2025 жылғы 8 тамызда", "2025-08-08", "day"),
    ("kk", "Келісім 2024 жылдың тамызында жасалды.", "2024 жылдың тамызында", "2024-08", "month"),
    ("kk", "Президент кеше мәлімдеді.", "кеше", "2025-08-10", "day"),
    ("kk", "Президент бүгін мәлімдеді.", "бүгін", "2025-08-11", "day"),
    ("kk", "Президент ертең сөйлейді.", "ертең", "2025-08-12", "day"),
    ("kk", "Кездесу өткен аптада өтті.", "өткен аптада", "2025-W32", "week"),
    ("kk", "Кездесу келесі аптада өтеді.", "келесі аптада", "2025-W34", "week"),
    ("kk", "Ол дүйсенбіде келді.", "дүйсенбіде", "2025-08-11", "day"),
    ("kk", "Ол сейсенбіде келді.", "сейсенбіде", "2025-08-05", "day"),
    ("kk", "Ол сәрсенбіде келді.", "сәрсенбіде", "2025-08-06", "day"),
    ("kk", "Ол бейсенбіде келді.", "бейсенбіде", "2025-08-07", "day"),
    ("kk", "Ол жұмада келді.", "жұмада", "2025-08-08", "day"),
    ("kk", "Ол сенбіде келді.", "сенбіде", "2025-08-09", "day"),
    ("kk", "Ол жексенбіде келді.", "жексенбіде", "2025-08-10", "day"),
    ("kk", "Ол келесі сәрсенбіде келеді.", "келесі сәрсенбіде", "2025-08-13", "day"),
    ("kk", "Заң 2024 жылы қабылданды.", "2024 жылы", "2024", "year"),
    ("kk", "Заң үш күн бұрын қабылданды.", "үш күн бұрын", "2025-08-08", "day"),
    # --- English
    ("en", "The call took place on August 8 in Moscow.", "August 8", "2025-08-08", "day"),
    ("en", "The call took place on 8 August in Moscow.", "8 August", "2025-08-08", "day"),
    ("en", "The decree was signed August 8, 2025 in Moscow.", "August 8, 2025", "2025-08-08", "day"),
    ("en", "The decree was signed Aug. 8 in Moscow.", "Aug. 8", "2025-08-08", "day"),
    ("en", "The decree was signed on the 8th of August.", "8th of August", "2025-08-08", "day"),
    ("en", "He said on Tuesday that talks would go on.", "on Tuesday", "2025-08-05", "day"),
    ("en", "He said last Tuesday that talks would go on.", "last Tuesday", "2025-08-05", "day"),
    ("en", "He will travel next Tuesday to Kyiv.", "next Tuesday", "2025-08-12", "day"),
    ("en", "Talks will resume next week.", "next week", "2025-W34", "week"),
    ("en", "Talks stalled last week.", "last week", "2025-W32", "week"),
    ("en", "The minister spoke yesterday.", "yesterday", "2025-08-10", "day"),
    ("en", "The minister speaks today.", "today", "2025-08-11", "day"),
    ("en", "The minister speaks tomorrow.", "tomorrow", "2025-08-12", "day"),
    ("en", "Elections were held in August.", "in August", "2025-08", "month"),
    ("en", "Elections were held in 2024.", "in 2024", "2024", "year"),
    ("en", "Elections were held last year.", "last year", "2024", "year"),
    ("en", "The report is dated 2025-08-08.", "2025-08-08", "2025-08-08", "day"),
    ("en", "The summit is set for September 1-5.", "September 1-5", "2025-09-01", "day"),
    ("en", "The treaty was signed two days ago.", "two days ago", "2025-08-09", "day"),
]


@pytest.mark.parametrize(("lang", "sentence", "expr", "value", "precision"), CASES)
def test_forms(lang: str, sentence: str, expr: str, value: str, precision: str) -> None:
    times = find_times(sentence, lang, PUB)
    assert len(times) == 1, times
    t = times[0]
    assert t.text == expr
    assert sentence[t.start : t.end] == expr
    assert t.start == sentence.index(expr)
    assert t.value == value
    assert t.precision == precision
    assert not t.vague


@pytest.mark.parametrize(
    "case",
    [
        ("ru", "Это было 28 декабря.", "28 декабря", dt.date(2026, 1, 3), "2025-12-28", "past"),
        ("ru", "Встреча пройдёт 5 января.", "5 января", dt.date(2025, 12, 29), "2026-01-05", "future"),
        ("ru", "Это было в декабре.", "в декабре", dt.date(2026, 1, 3), "2025-12", "past"),
        ("ru", "Это будет в январе.", "в январе", dt.date(2025, 12, 20), "2026-01", "future"),
        ("ru", "Это было на прошлой неделе.", "на прошлой неделе", dt.date(2026, 1, 3), "2025-W52", "past"),
        ("uk", "Це було минулого року.", "минулого року", dt.date(2026, 1, 3), "2025", "past"),
        ("ru", "Это было вчера.", "вчера", dt.date(2026, 1, 1), "2025-12-31", "past"),
        ("en", "It happened on Friday.", "on Friday", dt.date(2026, 1, 1), "2025-12-26", "past"),
        (
            "ru",
            "Праздники 30 декабря – 2 января.",
            "30 декабря – 2 января",
            dt.date(2026, 1, 1),
            "2025-12-30",
            "past",
        ),
        ("ru", "Сегодня подписан указ.", "Сегодня", dt.date(2025, 12, 31), "2025-12-31", "present"),
    ],
)
def test_year_boundary(case: tuple[str, str, str, dt.date, str, str]) -> None:
    lang, text, expr, published, value, relation = case
    times = find_times(text, lang, published)
    assert [(t.text, t.value, t.relation) for t in times] == [(expr, value, relation)]


def test_relations() -> None:
    text = "8 августа, 15 августа, в августе, на этой неделе, в прошлом году, в следующем году"
    rel = {t.text: t.relation for t in find_times(text, "ru", PUB)}
    assert rel == {
        "8 августа": "past",
        "15 августа": "future",
        "в августе": "present",
        "на этой неделе": "present",
        "в прошлом году": "past",
        "в следующем году": "future",
    }


@pytest.mark.parametrize(
    ("lang", "word", "relation"),
    [
        ("ru", "позже", "after"),
        ("ru", "ранее", "before"),
        ("ru", "раньше", "before"),
        ("ru", "недавно", "before"),
        ("ru", "скоро", "after"),
        ("uk", "пізніше", "after"),
        ("uk", "раніше", "before"),
        ("uk", "нещодавно", "before"),
        ("uk", "згодом", "after"),
        ("en", "later", "after"),
        ("en", "earlier", "before"),
        ("en", "recently", "before"),
        ("en", "soon", "after"),
        ("kk", "кейінірек", "after"),
        ("kk", "бұрын", "before"),
        ("kk", "жақында", "before"),
    ],
)
def test_vague(lang: str, word: str, relation: str) -> None:
    text = f"— {word.capitalize()} — {word}."
    times = find_times(text, lang, PUB)
    assert [t.text for t in times] == [word.capitalize(), word]
    for t in times:
        assert t.vague
        assert t.value is None
        assert t.precision is None
        assert t.relation == relation


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "Августин, новый маршрут, сейчас, заранее, недавний."),
        ("ru", "Марта и Майя приехали; неделю спустя сказали «скорость»."),
        ("uk", "зараз, серпнями, пізнішими."),
        ("kk", "Қазір, бүгінгі, кешегі, ертеңгі, Қазанда, маусымда."),
        ("en", "Now, nowadays, Augustus, Mayday, earliest, sooner."),
        ("ru", "Статья 15 пункт 3, 2025 человек, 100 миллионов."),
    ],
)
def test_no_false_hits(lang: str, text: str) -> None:
    assert find_times(text, lang, PUB) == []


def test_no_published_date() -> None:
    text = "8 августа 2025 года, вчера, в среду, 15 августа, на прошлой неделе, в прошлом году, позже."
    times = {t.text: t for t in find_times(text, "ru", None)}
    assert times["8 августа 2025 года"].value == "2025-08-08"
    assert times["8 августа 2025 года"].precision == "day"
    for rel in ("вчера", "в среду", "15 августа", "на прошлой неделе", "в прошлом году"):
        assert times[rel].value is None, rel
    assert times["вчера"].relation == "past"
    assert times["позже"].vague
    assert find_times("2025-08-08", "en", None)[0].value == "2025-08-08"


def test_offsets_into_full_text() -> None:
    text = "Вчера был звонок. Встреча 15 августа. Завтра ответ."
    first_end = text.index(".") + 1
    times = find_times(text, "ru", PUB, start=first_end, end=text.index("Завтра"))
    assert [(t.text, t.start, t.end) for t in times] == [
        ("15 августа", text.index("15"), text.index("15") + len("15 августа"))
    ]
    assert [t.text for t in find_times(text, "ru", PUB)] == ["Вчера", "15 августа", "Завтра"]


def test_sorted_and_non_overlapping() -> None:
    text = "В пятницу, 8 августа 2025 года, и 1–2 сентября, а также в 2024 году и вчера."
    times = find_times(text, "ru", PUB)
    expected = ["В пятницу", "8 августа 2025 года", "1–2 сентября", "в 2024 году", "вчера"]
    assert [t.text for t in times] == expected
    for a, b in itertools.pairwise(times):
        assert a.end <= b.start
    for t in times:
        assert text[t.start : t.end] == t.text


def test_unknown_language_numeric_only() -> None:
    times = find_times("вчера 2025-08-08", "xx", PUB)
    assert [(t.text, t.value) for t in times] == [("2025-08-08", "2025-08-08")]
    assert find_times("вчера", "ru-RU", PUB)[0].value == "2025-08-10"


def test_tagger_per_sentence_language() -> None:
    text = "Вчера был звонок. Зустріч у вівторок. Talks resumed last week."
    s1 = text.index(".") + 1
    s2 = text.index(".", s1) + 1
    doc = Doc(
        text=text,
        lang="ru",
        published=PUB,
        sents=[Sentence(0, s1, "ru"), Sentence(s1 + 1, s2, "uk"), Sentence(s2 + 1, len(text), "en")],
    )
    TimeTagger()(doc)
    assert [(t.text, t.value) for t in doc.times] == [
        ("Вчера", "2025-08-10"),
        ("у вівторок", "2025-08-05"),
        ("last week", "2025-W32"),
    ]


def test_tagger_whole_doc() -> None:
    doc = TimeTagger(["kk"])(Doc(text="Президент кеше және 8 тамызда сөйледі.", lang="kk", published=PUB))
    assert [(t.text, t.value) for t in doc.times] == [("кеше", "2025-08-10"), ("8 тамызда", "2025-08-08")]


def test_seed_article() -> None:
    if not SEED.is_file():
        pytest.skip("seed article not available")
    raw = SEED.read_text(encoding="utf-8")
    prefix = " date 2025-08-11 "
    assert raw.startswith(prefix)
    text = raw[len(prefix) :]
    doc = TimeTagger()(Doc(text=text, lang="ru", published=PUB))
    found = {t.text: t for t in doc.times}
    assert found["8 августа"].value == "2025-08-08"
    assert found["8 августа"].relation == "past"
    assert found["15 августа"].value == "2025-08-15"
    assert found["15 августа"].relation == "future"
    assert found["позже"].vague and found["позже"].value is None
    assert not any(t.text.lower() == "сейчас" for t in doc.times)
    for t in doc.times:
        assert text[t.start : t.end] == t.text


def test_speed() -> None:
    chunk = (
        "Напомним, 8 августа президент России позвонил коллеге, а вчера состоялась встреча. "
        "Ранее стороны договорились провести 15 августа саммит на Аляске; позже Киев заявил о готовности. "
        "В прошлом году переговоры в 2024 году шли с 1 по 5 сентября, но сейчас ситуация иная. "
    )
    text = chunk * 300
    for lang in ("ru", "uk", "kk", "en"):
        find_times(text[:1000], lang, PUB)  # compile once
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        find_times(text, "ru", PUB)
        best = max(best, len(text) / (time.perf_counter() - t0))
    assert best > 100_000, f"{best:,.0f} chars/s"


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("ru", "оценили вчерашний телефонный разговор", "2025-08-10"),
        ("ru", "после сегодняшней встречи", "2025-08-11"),
        ("uk", "після вчорашньої розмови", "2025-08-10"),
    ],
)
def test_relative_day_adjectives(lang: str, text: str, value: str) -> None:
    """"Yesterday's talk" dates the talk: adjectives of relative days resolve like the adverbs."""
    found = find_times(text, lang, dt.date(2025, 8, 11))
    assert [t.value for t in found] == [value]

"""Our razdel-equivalent tokeniser gives razdel's tokens exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from razdel import tokenize

from detente.nlp.segment import razdel_tokens, split_tokens

ROOT = Path(__file__).resolve().parent.parent

TRICKY = [
    "Yahoo! 3.5 3,5 1/2 1\\2 :-) ;))) =( ?! ... -- ** ***",
    "кто-то -то то- Нью-Йорк a_b _a 1-2 -.5 X-15 Қазақстан-Ресей Δσ mβж ΔP",
    "п'ятниця Об’єднаних Kazakhstan's «Мы — за мир», — заявил он. (ЕС) [1] {x} №5 50% $3 т.е. 2025-09-24",
    "Тоқаевпен Гутерришпен өткен аптада 15 қыркүйекте 🙂🙂 ᏣᎳᎩ ﬁ ſ K İı",
    "",
    "   ",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_tokens_as_razdel_on_tricky_text(text: str) -> None:
    assert razdel_tokens(text) == [(t.start, t.stop, t.text) for t in tokenize(text)]


def test_same_tokens_as_razdel_on_the_samples() -> None:
    paths = sorted(ROOT.glob("samples/*.txt")) + sorted(ROOT.glob("samples/seeds/*.txt"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert razdel_tokens(text) == [(t.start, t.stop, t.text) for t in tokenize(text)], path.name


def test_apostrophe_words_and_possessives() -> None:
    assert [w for _, _, w in split_tokens("у п'ятницю Kazakhstan's")] == ["у", "п'ятницю", "Kazakhstan", "'s"]


def test_an_abbreviated_month_does_not_end_a_sentence() -> None:
    from detente.lang import default_languages
    from detente.nlp.segment import month_abbreviations, split_sentences

    abbr = month_abbreviations(default_languages().codes)
    assert {"сент", "feb"} <= abbr
    for text, n in [("Посол прибыл в Минск 3 нояб. 2026 года. Визит продлится два дня.", 2),
                    ("Talks are set for Sept. 9 in Baku. Both sides agreed.", 2),
                    ("The decision came in Jan. Officials said nothing.", 2)]:
        sents = split_sentences(text, abbr)
        assert len(sents) == n, [text[a:b] for a, b, _ in sents]
    assert len(split_sentences("Посол прибыл 3 нояб. 2026 года.", frozenset())) == 2  # razdel alone cuts it

"""Kazakh suffix stripping: case and possessive endings removed to find a name's stem."""

from __future__ import annotations

_KK_SUFFIXES = sorted(
    [
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "ға",
        "ге",
        "қа",
        "ке",
        "на",
        "не",
        "ны",
        "ні",
        "ды",
        "ді",
        "ты",
        "ті",
        "да",
        "де",
        "та",
        "те",
        "нда",
        "нде",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "мен",
        "бен",
        "пен",
        "ға",
        "ге",
        "ымен",
        "імен",
        "сы",
        "сі",
        "ы",
        "і",
        "на",
        "не",
        "н",
    ],
    key=len,
    reverse=True,
)


def kk_stem(word: str) -> str:
    """Strip Kazakh case and possessive suffixes from a name (Зеленскиймен → зеленский)."""
    for _ in range(2):
        for suf in _KK_SUFFIXES:
            if word.endswith(suf) and len(word) - len(suf) >= 3:
                word = word[: -len(suf)]
                break
    return word

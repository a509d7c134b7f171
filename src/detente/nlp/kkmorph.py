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


# Case endings that may follow any stem, by case; the longer ending wins.
_KK_CASE_ENDINGS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [(s, "gen") for s in ("ның", "нің", "дың", "дің", "тың", "тің")]
        + [(s, "dat") for s in ("ға", "ге", "қа", "ке")]
        + [(s, "acc") for s in ("ны", "ні", "ды", "ді", "ты", "ті")]
        + [(s, "loc") for s in ("да", "де", "та", "те")]
        + [(s, "abl") for s in ("дан", "ден", "тан", "тен", "нан", "нен")]
        + [(s, "ins") for s in ("мен", "бен", "пен", "менен", "бенен", "пенен")],
        key=lambda p: -len(p[0]),
    )
)
# Case endings after the third-person possessive (-ы/-і/-сы/-сі): "басшысына", "министрін".
_KK_POSS_ENDINGS: tuple[tuple[str, str], ...] = (
    ("нда", "loc"), ("нде", "loc"), ("нан", "abl"), ("нен", "abl"), ("на", "dat"), ("не", "dat"), ("н", "acc"),
)


def kk_split(word: str) -> tuple[str, str]:
    """Split a Kazakh word form into its form without the case ending and its case.

    "Тоқаевпен" → ("тоқаев", "ins"), "басшысына" → ("басшысы", "dat"), "Ресейдің" → ("ресей", "gen"),
    "Украина" → ("украина", "nom"). Possessive endings stay on the form, as in the role lexicon
    ("сыртқы істер министрі"); a word with no case ending is nominative.
    """
    low = word.lower()
    if "-" in low[1:]:  # an abbreviation with its ending: "БҰҰ-ның", "АҚШ-қа", "ЕО-ға"
        head, _, tail = low.rpartition("-")
        for suf, case in _KK_CASE_ENDINGS:
            if tail == suf:
                return head, case
    for suf, case in _KK_POSS_ENDINGS:
        stem = low[: -len(suf)]
        if low.endswith(suf) and len(stem) >= 3 and stem[-1] in "ыі":
            return stem, case
    for suf, case in _KK_CASE_ENDINGS:
        stem = low[: -len(suf)]
        if low.endswith(suf) and len(stem) >= 3 and any(ch in "аәеёиоөуұүыіэюя" for ch in stem):
            return stem, case
    return low, "nom"


def kk_unpossess(form: str) -> str:
    """Remove a third-person possessive ending: "президенті" → "президент", "басшысы" → "басшы"."""
    for suf in ("сы", "сі", "ы", "і"):
        if form.endswith(suf) and len(form) - len(suf) >= 3:
            return form[: -len(suf)]
    return form

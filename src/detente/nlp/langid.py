"""Language identification for ru, uk, kk and en, per sentence and per article."""

from __future__ import annotations

import collections
import functools
import re
from typing import Any

LANGS = ("ru", "uk", "kk", "en")
_KK = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KK_ONLY = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")
_UK = re.compile(r"[їєґЇЄҐ]")
_UK_I = re.compile(r"[іІ]")
_RU = re.compile(r"[ыэёъЫЭЁЪ]")
_CYR = re.compile(r"[\u0400-\u04FF]")
_LAT = re.compile(r"[A-Za-z]")
_LAT_EXT = re.compile(r"[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]")  # Latin letters with diacritics


@functools.cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.RUSSIAN, Language.UKRAINIAN, Language.KAZAKH, Language.ENGLISH]
    return LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


_LINGUA_CODES = {"RUSSIAN": "ru", "UKRAINIAN": "uk", "KAZAKH": "kk", "ENGLISH": "en"}


def guess_by_script(text: str) -> str | None:
    """Decide the language from letters only one language uses; None when the letters do not tell."""
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    if cyr == 0:
        return "en" if lat else None
    kk_only = len(_KK_ONLY.findall(text))
    uk = len(_UK.findall(text))
    ru = len(_RU.findall(text))
    has_i = bool(_UK_I.search(text))
    if kk_only and not uk:
        return "kk"  # ә ғ қ ң ө ұ ү һ: Kazakh
    if uk and not kk_only:
        return "uk"  # ї є ґ: Ukrainian
    if has_i and not ru and not kk_only:
        return "uk"  # і without Kazakh letters: Ukrainian (Kazakh sentences nearly always have some)
    if ru and not has_i and not uk and not kk_only:
        return "ru"
    return None


def has_supported_letters(text: str) -> bool:
    """True when ``text`` has a Cyrillic or Latin letter: emoji, Hebrew or Arabic alone are in no language read here."""
    return _CYR.search(text) is not None or _LAT.search(text) is not None or _LAT_EXT.search(text) is not None


def detect(text: str, default: str = "ru") -> str:
    """Return the language code of ``text`` (one of ``LANGS``); ``default`` when it has no letter of their scripts."""
    by_script = guess_by_script(text)
    if by_script is not None:
        return by_script
    if not has_supported_letters(text):
        return default
    found = _detector().detect_language_of(text)
    if found is None:
        return default
    return _LINGUA_CODES.get(found.name, default)


def detect_document(sentences: list[str], default: str = "ru") -> tuple[str, list[str]]:
    """Return the article's main language and each sentence's language.

    Sentences too short to tell take the article's language.
    """
    per = [detect(s, default="") if len(s) >= 25 else "" for s in sentences]
    counts: collections.Counter[str] = collections.Counter()
    for lang, sent in zip(per, sentences, strict=True):
        if lang:
            counts[lang] += len(sent)
    if counts:
        main = counts.most_common(1)[0][0]
    else:
        main = detect(" ".join(sentences), default=default)
    return main, [lang or main for lang in per]

"""Language identification per sentence and per article, over the registered languages.

Letters first: each language's ``letters`` (in its ``language.yaml``) are the letters of its script
that set it apart; when the special letters of a text all belong to one language's set (or to
several, the smallest set wins: "і" alone is Ukrainian, not Kazakh), that language it is. Otherwise
lingua decides among the registered languages that name a lingua model.
"""

from __future__ import annotations

import collections
import functools
import re
from typing import Any

from detente.lang import Language, Languages, default_languages, on_change

# the letters of each script a language may declare (Latin last: it is everywhere, in names and addresses)
SCRIPTS: dict[str, re.Pattern[str]] = {
    "Cyrillic": re.compile(r"[\u0400-\u04FF]"),
    "Latin": re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]"),
}


@functools.cache
def _detector(codes: tuple[str, ...]) -> tuple[Any, dict[str, str]]:
    """lingua's detector over the registered languages it knows, and its language names to our codes."""
    from lingua import Language as LinguaLanguage
    from lingua import LanguageDetectorBuilder

    reg = default_languages()
    names = {c: str(reg.get(c).lingua) for c in codes if reg.get(c).lingua}
    names = {c: n for c, n in names.items() if hasattr(LinguaLanguage, n)}
    by_name = {n: c for c, n in names.items()}
    if len(names) < 2:
        return None, by_name
    langs = [getattr(LinguaLanguage, n) for n in names.values()]
    return LanguageDetectorBuilder.from_languages(*langs).build(), by_name  # models load when first needed


on_change(_detector.cache_clear)


def _script_of(text: str, languages: Languages) -> tuple[str, list[Language]] | None:
    """The script a text is read in (any other than Latin first) and the languages written in it."""
    present = [s for s in SCRIPTS if SCRIPTS[s].search(text)]
    present.sort(key=lambda s: s == "Latin")
    for script in present:
        langs = [lang for lang in languages if script in lang.scripts]
        if langs:
            return script, langs
    return None


def guess_by_script(text: str, languages: Languages | None = None) -> str | None:
    """Decide the language from its letters; None when the letters do not tell."""
    found = _script_of(text, languages or default_languages())
    if found is None:
        return None
    _, langs = found
    if len(langs) == 1:
        return langs[0].code
    special = frozenset().union(*(lang.letters for lang in langs)) & set(text.lower())
    if not special:
        return None
    fits = [lang for lang in langs if special <= lang.letters]
    return min(fits, key=lambda lang: len(lang.letters)).code if fits else None


def has_supported_letters(text: str, languages: Languages | None = None) -> bool:
    """True when ``text`` has a letter of a registered language's script (emoji or Hebrew alone have none)."""
    return _script_of(text, languages or default_languages()) is not None


def no_letters_reason(languages: Languages | None = None) -> str:
    """Why a text without a letter of a registered script is refused, naming the languages read."""
    langs = languages or default_languages()
    scripts = " or ".join(sorted({s for lang in langs for s in lang.scripts}))
    return f"no text in a supported language ({', '.join(lang.name for lang in langs)}): no {scripts} letters"


def detect(text: str, default: str = "ru") -> str:
    """Return the language code of ``text``; ``default`` when it has no letter of a registered script."""
    by_script = guess_by_script(text)
    if by_script is not None:
        return by_script
    if not has_supported_letters(text):
        return default
    detector, by_name = _detector(default_languages().codes)
    found = detector.detect_language_of(text) if detector is not None else None
    if found is None:
        return default
    return by_name.get(found.name, default)


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

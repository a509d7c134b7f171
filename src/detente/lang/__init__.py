"""The language registry: one folder per language under ``detente/lang/<code>/``.

A folder holds everything detente knows about one language: ``language.yaml`` (its name, script,
word order and which morphology, lemmatiser and name tagger back it), its event rules
(``rules.yaml``), time words (``times.yaml``), linker words (``linker.yaml``), speech verbs
(``speech.yaml``), name paradigms (``names.yaml``), call and meeting words for story grouping
(``stories.yaml``) and its name model (``ner.crfsuite``). Stages get
:class:`Language` objects from a :class:`Languages` registry and read facts from them instead of
testing language codes. ``docs/adding-a-language.md`` walks through adding one.

Extra language folders are added with :meth:`Languages.add_folder` or the ``DETENTE_LANGS``
environment variable (folders separated by the path separator).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml

from detente.text import load_yaml

WordOrder = Literal["svo", "sov"]
CaseMarking = Literal["inflection", "suffixes", "position"]
MORPHOLOGIES = ("pymorphy3", "kazakh-suffixes", "lemminflect", "none")
NAME_TAGGERS = ("natasha", "crf", "none")


class LanguageError(ValueError):
    """A language folder that cannot be read, or a language code that is not registered."""


@dataclass(frozen=True)
class Language:
    """Everything about one language that the stages read; built from ``language.yaml``."""

    code: str
    name: str
    native_name: str
    folder: Traversable = field(repr=False, compare=False)
    code3: str = ""  # ISO 639-3 (rus): what GDELT's MentionDocTranslationInfo and POLECAT's Language say
    scripts: tuple[str, ...] = ()
    letters: frozenset[str] = frozenset()
    lingua: str | None = None
    word_order: WordOrder = "svo"
    subject_after_verb: bool = True
    head_final: bool = False
    case_marking: CaseMarking = "inflection"
    conjunctions: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    morphology: str = "none"
    lemmatizer: str = "none"
    name_tagger: str = "none"
    name_tagger_features: str = "basic"
    rank: int = 100

    def resource(self, name: str) -> Traversable | None:
        """A file of the language's folder, or None when the language has no such file."""
        res = self.folder.joinpath(name)
        return res if res.is_file() else None

    def data(self, name: str) -> dict[str, Any]:
        """The parsed ``<name>.yaml`` of the folder (an empty mapping when there is none)."""
        return _read_yaml(self, name)

    def words(self, name: str) -> dict[str, list[str]]:
        """The word lists of ``<name>.yaml``: every value a list of strings."""
        return _read_words(self, name)

    @property
    def has_suffix_morphology(self) -> bool:
        """True for an agglutinative language whose names and role nouns carry case and possessive endings."""
        return self.case_marking == "suffixes"

    @property
    def tags_names(self) -> bool:
        """True when a statistical name tagger backs the language (names get their bounds from it)."""
        return self.name_tagger != "none"


@functools.cache
def _read_yaml(lang: Language, name: str) -> dict[str, Any]:
    res = lang.resource(f"{name}.yaml")
    if res is None:
        return {}
    try:
        data = load_yaml(res.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LanguageError(f"lang/{lang.code}/{name}.yaml: cannot parse: {exc}") from exc
    if not isinstance(data, dict):
        raise LanguageError(f"lang/{lang.code}/{name}.yaml: expected a mapping")
    return data


@functools.cache
def _read_words(lang: Language, name: str) -> dict[str, list[str]]:
    return {str(k): [str(x) for x in v or []] for k, v in _read_yaml(lang, name).items() if isinstance(v, list | None)}


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, origin: str) -> str:
    value = str(data.get(key, default))
    if value not in allowed:
        raise LanguageError(f"{origin}: {key} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def load_language(folder: Traversable) -> Language:
    """Read ``language.yaml`` of a language folder."""
    res = folder.joinpath("language.yaml")
    origin = f"{folder}/language.yaml"
    if not res.is_file():
        raise LanguageError(f"{folder}: no language.yaml")
    try:
        data = load_yaml(res.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LanguageError(f"{origin}: cannot parse: {exc}") from exc
    if not isinstance(data, dict) or not data.get("code"):
        raise LanguageError(f"{origin}: expected a mapping with a code")
    code = str(data["code"])

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or [])

    return Language(
        code=code, name=str(data.get("name") or code), native_name=str(data.get("native_name") or code),
        folder=folder, code3=str(data.get("code3") or ""), scripts=tuple(str(s) for s in data.get("scripts") or ()),
        letters=frozenset(str(data.get("letters") or "").lower()), lingua=data.get("lingua") or None,
        word_order=_choice(data, "word_order", ("svo", "sov"), "svo", origin),  # type: ignore[arg-type]
        subject_after_verb=bool(data.get("subject_after_verb", True)), head_final=bool(data.get("head_final", False)),
        case_marking=_choice(data, "case_marking", ("inflection", "suffixes", "position"), "inflection",
                             origin),  # type: ignore[arg-type]
        conjunctions=words("conjunctions"), articles=words("articles"),
        morphology=_choice(data, "morphology", MORPHOLOGIES, "none", origin),
        lemmatizer=str(data.get("lemmatizer") or data.get("morphology") or "none"),
        name_tagger=_choice(data, "name_tagger", NAME_TAGGERS, "none", origin),
        name_tagger_features=str(data.get("name_tagger_features") or "basic"), rank=int(data.get("rank", 100)),
    )


class Languages:
    """The registered languages by code, in registration order (the bundled four first)."""

    def __init__(self, languages: list[Language] | None = None) -> None:
        self._by_code: dict[str, Language] = {}
        for lang in languages or []:
            self.add(lang)

    @classmethod
    def bundled(cls) -> Languages:
        """The languages shipped in ``detente/lang/``, plus the folders named in ``DETENTE_LANGS``."""
        reg = cls()
        root = resources.files("detente.lang")
        found = [load_language(f) for f in root.iterdir() if f.is_dir() and f.joinpath("language.yaml").is_file()]
        for lang in sorted(found, key=lambda lang: (lang.rank, lang.code)):
            reg.add(lang)
        for extra in (os.environ.get("DETENTE_LANGS") or "").split(os.pathsep):
            if extra:
                reg.add_folder(Path(extra))
        return reg

    def add(self, lang: Language) -> Language:
        """Register (or replace) a language."""
        self._by_code[lang.code] = lang
        _registry_changed()
        return lang

    def remove(self, code: str) -> None:
        """Unregister a language (a no-op when it is not registered)."""
        if self._by_code.pop(code, None) is not None:
            _registry_changed()

    def add_folder(self, folder: Path) -> Language:
        """Register the language of a folder that holds a ``language.yaml``."""
        return self.add(load_language(folder))

    def get(self, code: str) -> Language:
        """The language of ``code``; :class:`LanguageError` names the known codes when it is not registered."""
        try:
            return self._by_code[code]
        except KeyError:
            raise LanguageError(f"unsupported language {code!r}: choose one of {', '.join(self.codes)}") from None

    def find(self, code: str | None) -> Language | None:
        """The language of ``code``, or None (also for None)."""
        return self._by_code.get(code or "")

    @property
    def codes(self) -> tuple[str, ...]:
        """The registered codes."""
        return tuple(self._by_code)

    def names(self) -> dict[str, str]:
        """Code to English name, for menus and tables."""
        return {c: lang.name for c, lang in self._by_code.items()}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Language]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)


def primary_code(lang: str | None) -> str:
    """Return the primary subtag of a language code, lowercased ("ru-RU" → "ru", "EN_us" → "en")."""
    return re.split(r"[-_]", (lang or "").strip().lower(), maxsplit=1)[0]


@functools.cache
def default_languages() -> Languages:
    """The bundled registry, built once per process."""
    return Languages.bundled()


def language_codes() -> tuple[str, ...]:
    """The codes of the default registry."""
    return default_languages().codes


_listeners: list[Any] = []


def on_change(clear: Any) -> Any:
    """Register a cache-clearing callable to run when a language is added (used by per-language caches)."""
    _listeners.append(clear)
    return clear


def _registry_changed() -> None:
    for clear in _listeners:
        clear()

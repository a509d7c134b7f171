"""The word lists of ``times.yaml`` as lookup tables and regular-expression pieces."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from detente.doc import Precision
from detente.lang import default_languages

_APOS = "'’ʼ`"
_APOS_RE = "['’ʼ`]"
_WS = re.compile(r"\s+")
_B = r"(?<!\w)"  # word start
_E = r"(?!\w)"  # word end
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_DAY = r"\d{1,2}(?!\d)"
_DASH = r"\s*[-‐‑–—]\s*"
_DIGITS = re.compile(r"\d+")
_UNIT_PRECISION: dict[str, Precision] = {"day": "day", "week": "week", "month": "month", "year": "year"}


def _key(form: str) -> str:
    """Normalize a form for dictionary lookup: lower case, one space, one apostrophe, no final dot."""
    out = _WS.sub(" ", form.strip().lower())
    for ch in _APOS:
        out = out.replace(ch, "'")
    return out.rstrip(".") if len(out) > 1 else out


def _form_re(form: str) -> str:
    """Return the regex of one word-list form (whitespace-, apostrophe- and abbreviation-tolerant)."""
    form = _WS.sub(" ", form.strip())
    dot = form.endswith(".") and len(form) > 1
    if dot:
        form = form[:-1]
    parts: list[str] = []
    for ch in form:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _APOS:
            parts.append(_APOS_RE)
        else:
            parts.append(re.escape(ch))
    return "".join(parts) + (r"\.?" if dot else "")


def _alt(forms: Iterable[str]) -> str | None:
    """Return a non-capturing alternation of ``forms``, longest first, or None when there are none."""
    uniq = sorted({_WS.sub(" ", f.strip()) for f in forms if f.strip()}, key=lambda f: (-len(f), f))
    if not uniq:
        return None
    return "(?:" + "|".join(_form_re(f) for f in uniq) + ")"


def _strs(value: Any, what: str) -> list[str]:
    """Return ``value`` as a list of strings; a YAML list of scalars is expected."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise TypeError(f"times.yaml: {what} must be a list, got {type(value).__name__}")
    out: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise TypeError(f"times.yaml: {what} holds {item!r}; quote it")
        out.append(str(item))
    return out


def _index_lists(value: Any, what: str) -> list[list[str]]:
    """Return a list of form lists (months, weekdays)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"times.yaml: {what} must be a list of lists")
    return [_strs(v, f"{what}[{i}]") for i, v in enumerate(value)]


def _by_form(value: Any, what: str) -> dict[str, Any]:
    """Invert a YAML mapping ``value: [forms]`` into ``{form key: value}``."""
    out: dict[str, Any] = {}
    if not value:
        return out
    if not isinstance(value, dict):
        raise TypeError(f"times.yaml: {what} must be a mapping")
    for key, forms in value.items():
        for form in _strs(forms, what):
            out[_key(form)] = key
    return out


def _offset_map(value: Any, what: str) -> dict[str, int]:
    """Return ``{form key: offset}`` from a YAML mapping ``offset: [forms]``."""
    return {form: int(off) for form, off in _by_form(value, what).items()}


def _label_map(value: Any, what: str) -> dict[str, str]:
    """Return ``{form key: label}`` from a YAML mapping ``label: [forms]``."""
    return {form: str(label) for form, label in _by_form(value, what).items()}


@dataclass(frozen=True, slots=True)
class Rules:
    """The compiled time-expression rules of one language."""

    lang: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_mods: dict[str, str]
    weekday_prep_required: bool
    relative_days: dict[str, int]
    periods: dict[str, tuple[str, int]]
    year_rel: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, str]
    ago_markers: dict[str, int]
    vague: dict[str, str | None]


def load_yaml(lang: str) -> dict[str, Any]:
    """Return the parsed ``times.yaml`` of ``lang``, or an empty mapping when there is none."""
    language = default_languages().find(lang)
    return language.data("times") if language is not None else {}



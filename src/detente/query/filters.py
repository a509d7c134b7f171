"""The filters every view of the stored events shares, validated once for the CLI, the API and the pages."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import urlencode

from detente.lang import language_codes

MODALITIES = ("asserted", "negated", "future", "hypothetical")
MAX_TEXT = 200  # longest actor or text query

_COUNTRY = re.compile(r"[A-Za-z]{3}")
_CAMEO = re.compile(r"\d{2,4}")
_PLOVER = re.compile(r"[A-Za-z_]{1,32}")
_ARTICLE = re.compile(r"[0-9a-f]{1,40}")


class QueryError(ValueError):
    """A parameter that cannot be used; ``field`` names it and ``message`` says why (naming it too)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_text(field: str, value: str | None, max_length: int = MAX_TEXT) -> str | None:
    """``value`` stripped (None when empty); a NUL or other control character, or too long, is a QueryError."""
    if value is None:
        return None
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise QueryError(field, f"{field} contains a control character (such as NUL); remove it")
    if len(value) > max_length:
        raise QueryError(field, f"{field} is longer than {max_length} characters")
    return value.strip() or None


def _check(field: str, value: str | None, pattern: re.Pattern[str], what: str) -> None:
    if value is not None and not pattern.fullmatch(value):
        raise QueryError(field, f"{field} {value[:40]!r} is not {what}")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters every view shares (and keeps in its URL); a value that cannot be used is a QueryError.

    Build one from raw input with :meth:`make` (it strips, upper-cases and drops empty values).
    """

    actor: str | None = None
    country: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    plover: str | None = None
    modality: str | None = None
    lang: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = None
    article: str | None = None
    min_confidence: float | None = None
    mentions: bool | None = None  # True: every report; else each event once (reports of a story merged)

    def __post_init__(self) -> None:
        for name in ("actor", "q"):
            check_text(name, getattr(self, name))
        _check("country", self.country, _COUNTRY, "an ISO 3166 alpha-3 code (KAZ)")
        _check("cameo", self.cameo, _CAMEO, "a CAMEO code or root of 2 to 4 digits (04, 042)")
        _check("plover", self.plover, _PLOVER, "a PLOVER event type (CONSULT)")
        _check("article", self.article, _ARTICLE, "an article id or the start of one (hex digits)")
        if self.quad_class is not None and (isinstance(self.quad_class, bool) or self.quad_class not in (1, 2, 3, 4)):
            raise QueryError("quad_class", "quad_class must be 1, 2, 3 or 4")
        if self.modality is not None and self.modality not in MODALITIES:
            raise QueryError("modality", f"modality must be one of {', '.join(MODALITIES)}")
        codes = language_codes()
        if self.lang is not None and self.lang not in codes:
            raise QueryError("lang", f"lang must be one of {', '.join(codes)}")
        mc = self.min_confidence
        if mc is not None and (isinstance(mc, bool) or not isinstance(mc, (int, float)) or not 0 <= mc <= 1):
            raise QueryError("min_confidence", "min_confidence must be a number from 0 to 1")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("date_from", "date_from is after date_to")

    @classmethod
    def make(
        cls,
        *,
        actor: str | None = None,
        country: str | None = None,
        cameo: str | None = None,
        quad_class: int | None = None,
        plover: str | None = None,
        modality: str | None = None,
        lang: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        q: str | None = None,
        article: str | None = None,
        min_confidence: float | None = None,
        mentions: bool | None = None,
    ) -> EventFilter:
        """A filter from raw input: text stripped, codes upper-cased, empty values meaning "no filter"."""
        return cls(
            actor=check_text("actor", actor),
            country=country.strip().upper() or None if country else None,
            cameo=cameo.strip() or None if cameo else None,
            quad_class=quad_class,
            plover=plover.strip().upper() or None if plover else None,
            modality=modality or None,
            lang=lang or None,
            date_from=date_from,
            date_to=date_to,
            q=check_text("q", q),
            article=article.strip().lower() or None if article else None,
            min_confidence=min_confidence or None,
            mentions=True if mentions else None,
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out), with ``changes`` applied."""
        out: dict[str, str] = {}
        for key, value in {**asdict(self), **changes}.items():
            if value is None or value == "":
                continue
            out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out

    def query_string(self, **changes: Any) -> str:
        """The filters as a URL query string (without the ``?``)."""
        return urlencode(self.params(**changes))

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return any(getattr(self, f.name) is not None for f in fields(self))

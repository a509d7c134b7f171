"""Helpers every input format shares: line ends, names, language tags, dates and warnings."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath

from detente.doc import Article
from detente.ingest.errors import IngestError, IngestWarning
from detente.lang import primary_code

__all__ = [
    "DATE_KEYS",
    "Result",
    "Warn",
    "date_like_keys",
    "name_of",
    "norm_lang",
    "normalize_newlines",
    "parse_date",
    "str_or_none",
    "warn_date_keys",
]

Result = Article | IngestError
#: Where a parser reports a warning (``None``: the warning is dropped).
Warn = Callable[[IngestWarning], None] | None

#: The keys a JSONL record or a POSTed article may give its publication date under.
DATE_KEYS: tuple[str, ...] = ("published", "date")
_DATE_NAME = re.compile(r"date|publi|time|created|updated|issued|modified|posted", re.IGNORECASE)
_DATE_VALUE = re.compile(r"\A\s*\d{4}-\d{1,2}-\d{1,2}|\A\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}\s*\Z")


def normalize_newlines(text: str) -> str:
    """Replace ``"\\r\\n"`` by ``"\\n"``; every other character, a lone ``"\\r"`` included, is kept."""
    return text.replace("\r\n", "\n")


def name_of(path: str) -> str:
    """The file name of ``path``, used as the article name of one-article files."""
    return PurePath(path).name or path


def norm_lang(value: object) -> str | None:
    """``"ru-RU"`` → ``"ru"``: the lower-cased primary subtag of a language tag, or ``None``."""
    if not isinstance(value, str):
        return None
    primary = primary_code(value)
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def str_or_none(value: object) -> str | None:
    """A non-empty string field, else ``None``."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def parse_date(value: object) -> dt.date:
    """Parse an ISO 8601 date or date-time (``2025-08-11``, ``2025-08-11T09:30:00+05:00``).

    A date-time gives its own calendar day as written (no time-zone conversion).

    Raises:
        ValueError: ``value`` is not a string holding a valid ISO date or date-time.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string, got {type(value).__name__}")
    text = value.strip()
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text).date()


def _looks_like_date(value: object) -> bool:
    """True for a string an author would mean as a date (ISO, ``11.08.2025``, RFC 2822)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return False
    if _DATE_VALUE.search(value):
        return True
    try:
        return email.utils.parsedate_to_datetime(value.strip()) is not None
    except (TypeError, ValueError, IndexError):
        return False


def date_like_keys(obj: Mapping[str, object], known: Iterable[str]) -> list[str]:
    """The keys of ``obj`` outside ``known`` that look like a publication date (by name or by value).

    ``pub_date``, ``datePublished``, ``published_at`` or any key whose value parses as a date: such a
    key is not read, and a caller reports it rather than losing the date without a word.
    """
    skip = set(known)
    found = []
    for key, value in obj.items():
        if key in skip or value is None or value == "":
            continue
        if (_DATE_NAME.search(key) and isinstance(value, str | int)) or _looks_like_date(value):
            found.append(key)
    return found


def warn_date_keys(obj: Mapping[str, object], known: Iterable[str], path: str, item: str | None, warn: Warn) -> None:
    """Report each unread date-like key of a record as a warning naming the key."""
    if warn is None:
        return
    for key in date_like_keys(obj, known):
        warn(IngestWarning(path, f"key {key!r} looks like a publication date but is not read; "
                                 f"name it 'published' or 'date'", item=item))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_controls(article: Article) -> Article:
    """The article with NUL and the other C0 control characters (not tab and newlines) taken out of its text
    and metadata: a JSONL or feed may carry them, and PostgreSQL cannot store a NUL."""
    for field in ("text", "name", "title", "url", "outlet", "lang"):
        value = getattr(article, field)
        if isinstance(value, str) and _CONTROL.search(value):
            setattr(article, field, _CONTROL.sub("", value))
    return article

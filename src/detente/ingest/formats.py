"""Parsers for each input format: bytes of one file in, articles (or errors) out.

Every parser takes the raw bytes (or, for plain text and seed files, the decoded text) of one file
and yields :class:`~detente.doc.Article` objects, or an :class:`~detente.ingest.errors.IngestError`
for each file, record or entry that could not be read.  File-level decoding problems
(:class:`BinaryFile`, :class:`UndecodableText`) are raised by the decoding step and turned into a
yielded error by :func:`detente.ingest.read_paths`.  This module holds the seed and plain-text
parsers; JSON Lines, HTML and feeds have their own modules, re-exported here.

Line ends: every article text has ``"\\r\\n"`` replaced by ``"\\n"`` (a lone ``"\\r"`` is kept),
and nothing else is changed, so character offsets computed by the pipeline point into that text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from detente.doc import Article
from detente.ingest.common import Result, Warn, name_of, normalize_newlines, parse_date
from detente.ingest.errors import BadDate, EmptyArticle, IngestWarning
from detente.ingest.feed import parse_feed
from detente.ingest.htmlpage import decode_html, parse_html
from detente.ingest.jsonl import parse_jsonl

__all__ = [
    "SEED_PREFIX",
    "decode_html",
    "name_date",
    "normalize_newlines",
    "parse_date",
    "parse_feed",
    "parse_html",
    "parse_jsonl",
    "parse_seed",
    "parse_txt",
    "seed_prefix",
]

#: The seed-format prefix: an optional space, the word ``date``, a date, one separator.
#: Anything date-like is matched so that a malformed date is reported instead of kept as text.
SEED_PREFIX = re.compile(r"\A ?date (\d{1,4}[-./]\d{1,2}[-./]\d{1,4})(?:[ \t\n]|\Z)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A ``YYYY-MM-DD`` inside a file name (``2025-08-11_tass.txt``), not part of a longer number.
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def seed_prefix(text: str) -> re.Match[str] | None:
    """Match the seed prefix (`` date YYYY-MM-DD ``) at the start of ``text``, if there is one."""
    return SEED_PREFIX.match(text)


def parse_seed(text: str, path: str) -> Iterator[Result]:
    """Yield the article of a seed-format text: `` date YYYY-MM-DD `` then the article.

    ``text`` is the decoded file (line ends already normalised).  The article text is everything
    after the prefix, exactly as read; ``published`` is the prefix date.
    """
    match = seed_prefix(text)
    if match is None:
        yield BadDate(path, "has no seed prefix ' date YYYY-MM-DD ' at the start of the file")
        return
    raw = match.group(1)
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError("not in YYYY-MM-DD form")
        published = dt.date.fromisoformat(raw)
    except ValueError:
        yield BadDate(path, f"seed prefix date {raw!r} is not a valid YYYY-MM-DD date")
        return
    body = text[match.end() :]
    if not body.strip():
        yield EmptyArticle(path, "has a seed date prefix but no article text")
        return
    yield Article(text=body, name=name_of(path), published=published, source_path=path)


def name_date(path: str, warn: Warn = None) -> dt.date | None:
    """The ``YYYY-MM-DD`` date in a file's name (``2025-08-11_tass.txt``), if it has a valid one.

    A name holding an impossible date (``2025-13-40_x.txt``) gives ``None`` and a warning.
    """
    match = _NAME_DATE.search(name_of(path))
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        if warn is not None:
            warn(IngestWarning(path, f"the file name holds {match.group(0)!r}, which is not a valid date; not used"))
        return None


def parse_txt(text: str, path: str, *, date: dt.date | None, warn: Warn = None) -> Iterator[Result]:
    """Yield the article of a plain text file.

    ``published`` is the ``YYYY-MM-DD`` date in the file name when it has one, else ``date`` (the
    batch's ``--date``; ``None`` is fine).
    """
    if not text.strip():
        yield EmptyArticle(path, "is empty or holds only whitespace")
        return
    yield Article(text=text, name=name_of(path), published=name_date(path, warn) or date, source_path=path)

"""Errors reported while reading articles.

:func:`detente.ingest.read_paths` never raises for bad input: it *yields* one of these errors in
place of the article (or record, or feed entry) that could not be read, so a caller can report it
and carry on with the rest.  Each subclass names one kind of failure; ``str(error)`` is a single
line ``"{path}[:{item}]: {reason}"`` that tells the user which file (and which line or entry) is
at fault and why.
"""

# The class names are the public API (they read as what went wrong), hence no "Error" suffix.

from __future__ import annotations

__all__ = [
    "ArticleTooLarge",
    "BadDate",
    "BinaryFile",
    "EmptyArticle",
    "FileTooLarge",
    "IngestError",
    "IngestWarning",
    "MalformedFeed",
    "MalformedHTML",
    "MalformedJSONL",
    "UndecodableText",
    "UnreadableFile",
    "UnsupportedFormat",
    "UnsupportedLanguage",
]


def _one_line(text: str) -> str:
    """Collapse any line breaks and runs of whitespace so a message fits on one line."""
    return " ".join(text.split())


class IngestError(Exception):
    """A file, record or feed entry that could not be turned into an article.

    Attributes:
        path: the file the problem was found in, as given (``str`` of the path).
        reason: what is wrong, phrased so the user can act on it.
        item: which part of the file, when the file holds several articles
            (``"line 12"`` of a JSONL file, a feed entry's link or ``"entry 3"``); ``None`` for the
            whole file.
    """

    path: str
    reason: str
    item: str | None

    def __init__(self, path: str, reason: str, item: str | None = None) -> None:
        super().__init__(path, reason, item)
        self.path = str(path)
        self.reason = reason
        self.item = item

    def __str__(self) -> str:
        where = self.path if self.item is None else f"{self.path}:{self.item}"
        return _one_line(f"{where}: {self.reason}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, reason={self.reason!r}, item={self.item!r})"


class EmptyArticle(IngestError):
    """The file, record or entry holds no text (empty or whitespace only)."""


class BinaryFile(IngestError):
    """The file is not text (NUL bytes outside UTF-16/32, or mostly control characters)."""


class UndecodableText(IngestError):
    """No supported character encoding gives plausible text for the bytes."""


class FileTooLarge(IngestError):
    """The file is larger than the ``max_bytes`` limit; it was not read."""


class MalformedJSONL(IngestError):
    """A JSONL line is not a JSON object with a string ``text`` field."""


class MalformedFeed(IngestError):
    """An RSS/Atom feed could not be parsed and yielded no entries."""


class MalformedHTML(IngestError):
    """No main text could be extracted from an HTML page."""


class BadDate(IngestError):
    """A publication date is missing where required or is not a valid ISO date."""


class UnreadableFile(IngestError):
    """The file or directory does not exist or cannot be read (an OS error)."""


class UnsupportedFormat(IngestError):
    """The file's format (or the requested ``fmt``) is not one detente can read."""


class ArticleTooLarge(IngestError):
    """One article's text is longer than the per-article limit; it was not processed."""


class UnsupportedLanguage(IngestError):
    """The text has no letters of a supported script (Cyrillic or Latin): emoji, Hebrew, Arabic ..."""


class IngestWarning:
    """Something a user should know about an article that was still read (a date key not read, say).

    ``str(warning)`` is one line ``"{path}[:{item}]: {reason}"``, like :class:`IngestError`.
    """

    def __init__(self, path: str, reason: str, item: str | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.item = item

    def __str__(self) -> str:
        where = self.path if self.item is None else f"{self.path}:{self.item}"
        return _one_line(f"{where}: {self.reason}")

    def __repr__(self) -> str:
        return f"IngestWarning(path={self.path!r}, reason={self.reason!r}, item={self.item!r})"

"""Reading articles from files: seed text, plain text, JSONL, HTML pages and RSS/Atom feeds.

:func:`read_paths` is the entry point: it yields an :class:`~detente.doc.Article` for every article
it finds and, for every file, record or feed entry it cannot read, an :class:`IngestError` naming
the file and the reason, so one bad input never stops the rest.  :func:`read_text_bytes` is the
encoding detection it uses (UTF-8/16/32 and legacy Cyrillic code pages).
"""

from __future__ import annotations

from detente.ingest.decode import read_text_bytes
from detente.ingest.errors import (
    ArticleTooLarge,
    BadDate,
    BinaryFile,
    EmptyArticle,
    FileTooLarge,
    IngestError,
    IngestWarning,
    MalformedFeed,
    MalformedHTML,
    MalformedJSONL,
    UndecodableText,
    UnreadableFile,
    UnsupportedFormat,
    UnsupportedLanguage,
)
from detente.ingest.reader import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CHARS,
    FORMATS,
    check_article,
    read_bytes,
    read_file,
    read_paths,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "FORMATS",
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
    "check_article",
    "read_bytes",
    "read_file",
    "read_paths",
    "read_text_bytes",
]

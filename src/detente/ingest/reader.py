"""Reading articles from files and directories: :func:`read_paths`."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from detente.doc import Article
from detente.ingest.common import Warn, without_controls
from detente.ingest.decode import read_text_bytes
from detente.ingest.errors import (
    ArticleTooLarge,
    EmptyArticle,
    FileTooLarge,
    IngestError,
    UnreadableFile,
    UnsupportedFormat,
    UnsupportedLanguage,
)
from detente.ingest.formats import (
    normalize_newlines,
    parse_feed,
    parse_html,
    parse_jsonl,
    parse_seed,
    parse_txt,
    seed_prefix,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "EXTENSIONS",
    "FORMATS",
    "check_article",
    "iter_files",
    "read_file",
    "read_paths",
    "sniff_format",
]

#: The formats :func:`read_paths` accepts as ``fmt``.
FORMATS: tuple[str, ...] = ("seed", "txt", "jsonl", "html", "feed")
#: File extensions (lower case) and the format they imply.  ``.txt`` files starting with the seed
#: prefix are read as seed files.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
#: Document and archive formats that need converting to text first, with a hint for the user.
_UNSUPPORTED: dict[str, str] = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".odt": "OpenDocument",
    ".rtf": "RTF",
    ".epub": "EPUB",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".zip": "ZIP archive",
    ".gz": "gzip",
    ".bz2": "bzip2",
    ".xz": "xz",
    ".7z": "7-Zip archive",
    ".rar": "RAR archive",
    ".tar": "tar archive",
}
DEFAULT_MAX_BYTES = 20_000_000
#: The longest article text processed, in characters: about 80 pages of news, some 7 s of work on one
#: core (processing time grows linearly; ``--max-chars`` / ``DETENTE_MAX_CHARS`` raise it).
DEFAULT_MAX_CHARS = 200_000
_CHUNK = 1 << 20


def _dir_extensions(fmt: str | None) -> frozenset[str]:
    """The extensions of the files picked up inside a directory for ``fmt``."""
    wanted = {"seed": "txt"}.get(fmt or "", fmt)
    return frozenset(ext for ext, f in EXTENSIONS.items() if wanted is None or f == wanted)


def iter_files(path: Path, *, fmt: str | None = None) -> Iterator[Path | IngestError]:
    """Yield the files under the directory ``path``, recursively, in sorted order.

    Hidden files and directories (name starting with ``"."``) are skipped, symbolic links are
    followed (a link cycle is visited once), and only files whose extension belongs to ``fmt``
    (any known format when ``fmt`` is ``None``) are yielded; a directory that cannot be listed
    yields :class:`UnreadableFile`.
    """
    exts = _dir_extensions(fmt)
    seen: set[tuple[int, int]] = set()

    def walk(directory: Path) -> Iterator[Path | IngestError]:
        try:
            st = directory.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen:
                return
            seen.add(key)
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            yield UnreadableFile(str(directory), f"cannot list directory ({exc.strerror or exc})")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = directory / entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError as exc:  # pragma: no cover - racy deletions, odd file systems
                yield UnreadableFile(str(child), f"cannot stat ({exc.strerror or exc})")
                continue
            if is_dir:
                yield from walk(child)
            elif is_file and child.suffix.lower() in exts:
                yield child
            elif not is_file and entry.is_symlink() and Path(entry.path).suffix.lower() in exts:
                yield UnreadableFile(str(child), "is a broken symbolic link")

    yield from walk(path)


def sniff_format(data: bytes, text: str | None, ext: str) -> str:
    """Guess the format of a file from its extension, then from its first characters.

    ``text`` is the decoded file when it has already been decoded (it is needed for plain text
    and seed files).  Returns one of :data:`FORMATS`.
    """
    known = EXTENSIONS.get(ext)
    if known is not None and known != "txt":
        return known
    head = (text if text is not None else data[:4096].decode("utf-8", "replace"))[:4096]
    if seed_prefix(head):
        return "seed"
    if known == "txt":
        return "txt"
    start = head.lstrip("\ufeff \t\r\n")
    lowered = start[:2048].lower()
    if start.startswith("<"):
        if any(tag in lowered for tag in ("<rss", "<feed", "<rdf:rdf")):
            return "feed"
        if any(tag in lowered for tag in ("<!doctype html", "<html", "<head", "<body", "<p>", "<div")):
            return "html"
    if start.startswith("{"):
        return "jsonl"
    return "txt"


def file_refusal(path: str | Path, *, fmt: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestError | None:
    """Why a file is refused before it is read (an unknown format, a kind of file detente cannot read, a
    file that cannot be accessed or is over ``max_bytes``); None when it may be read."""
    p, label = Path(path), str(path)
    if fmt is not None and fmt not in FORMATS:
        return UnsupportedFormat(label, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    ext = p.suffix.lower()
    if fmt is None and ext in _UNSUPPORTED:
        return UnsupportedFormat(label, f"{_UNSUPPORTED[ext]} files are not supported; convert it to text, HTML or "
                                        "JSONL first")
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            return UnreadableFile(label, "is a broken symbolic link")
        return UnreadableFile(label, "no such file or directory")
    except OSError as exc:
        return UnreadableFile(label, f"cannot access ({exc.strerror or exc})")
    if stat.S_ISDIR(st.st_mode):  # pragma: no cover - directories are walked by the caller
        return UnreadableFile(label, "is a directory")
    if st.st_size > max_bytes:
        return FileTooLarge(
            label, f"is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit; split it or raise the limit"
        )
    return None


def _read_bytes(path: Path, label: str, max_bytes: int) -> bytes | IngestError:
    """Read a file :func:`file_refusal` let through, up to ``max_bytes`` (a pipe or a growing file may hold more)."""
    try:
        with path.open("rb") as fh:
            chunks: list[bytes] = []
            size = 0
            # Read in chunks up to the limit: a pipe or a growing file may hold more than stat says.
            while size <= max_bytes:
                chunk = fh.read(min(_CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except IsADirectoryError:  # pragma: no cover
        return UnreadableFile(label, "is a directory")
    except OSError as exc:
        return UnreadableFile(label, f"cannot read ({exc.strerror or exc})")
    if size > max_bytes:
        return FileTooLarge(label, f"is over the {max_bytes:,}-byte limit; split it or raise the limit")
    return b"".join(chunks)


def read_file(
    path: str | Path,
    *,
    date: dt.date | None = None,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    on_warning: Warn = None,
) -> Iterator[Article | IngestError]:
    """Yield the articles of one file (or the errors that stand for them).

    See :func:`read_paths`; this is the same for a single file, without directory walking.
    """
    refused = file_refusal(path, fmt=fmt, max_bytes=max_bytes)
    if refused is not None:
        yield refused
        return
    p, label = Path(path), str(path)
    data = _read_bytes(p, label, max_bytes)
    if isinstance(data, IngestError):
        yield data
        return
    yield from read_bytes(data, label, date=date, fmt=fmt, max_chars=max_chars, on_warning=on_warning)


def read_bytes(
    data: bytes,
    label: str,
    *,
    date: dt.date | None = None,
    fmt: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    on_warning: Warn = None,
) -> Iterator[Article | IngestError]:
    """Yield the articles of one file's bytes (``label``: its path, whose extension picks the format).

    :func:`read_file` once the file is read: a distributed engine that ships files as bytes parses
    them here, the same way.
    """
    try:
        for item in _parse(data, label, Path(label).suffix.lower(), date=date, fmt=fmt, warn=on_warning):
            yield item if isinstance(item, IngestError) else check_article(item, label, max_chars)
    except IngestError as exc:
        yield exc


def check_article(article: Article, label: str, max_chars: int = DEFAULT_MAX_CHARS) -> Article | IngestError:
    """The article itself (control characters taken out), or the error that refuses it: too long, or no
    letters of a supported script."""
    from detente.nlp.langid import has_supported_letters, no_letters_reason

    article = without_controls(article)
    item = None if article.name == Path(label).name else article.name
    if not article.text.strip():
        return EmptyArticle(label, "the article holds only control characters and whitespace", item=item)
    if len(article.text) > max_chars:
        return ArticleTooLarge(label, f"the article is {len(article.text):,} characters, over the {max_chars:,}-"
                                      "character limit for one article; split it or raise the limit", item=item)
    if not has_supported_letters(article.text):
        return UnsupportedLanguage(label, no_letters_reason(), item=item)
    return article


def _parse(
    data: bytes, label: str, ext: str, *, date: dt.date | None, fmt: str | None, warn: Warn
) -> Iterator[Article | IngestError]:
    """Dispatch the bytes of one file to the parser of its format."""
    if not data.strip():
        yield EmptyArticle(label, "is empty" if not data else "holds only whitespace")
        return
    resolved = fmt or EXTENSIONS.get(ext)
    if resolved in ("jsonl", "html", "feed"):
        text = None
    else:
        # Plain text, seed, or unknown: decode now (raises BinaryFile / UndecodableText).
        text = normalize_newlines(read_text_bytes(data, label))
        if fmt is None:
            resolved = sniff_format(data, text, ext)
    if resolved == "jsonl":
        yield from parse_jsonl(data, label, date=date, warn=warn)
    elif resolved == "html":
        yield from parse_html(data, label, date=date)
    elif resolved == "feed":
        if b"\x00" in data[:65536]:
            read_text_bytes(data, label)  # raises BinaryFile unless it is UTF-16/32 text
        yield from parse_feed(data, label, date=date)
    elif text is not None and (resolved == "seed" or seed_prefix(text)):
        yield from parse_seed(text, label)
    elif text is not None:
        yield from parse_txt(text, label, date=date, warn=warn)


def read_paths(
    paths: Iterable[str | Path],
    *,
    date: dt.date | None = None,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    on_warning: Warn = None,
) -> Iterator[Article | IngestError]:
    """Yield every article found in ``paths``, or an :class:`IngestError` for each bad input.

    Bad input never raises and never stops the rest: an unreadable, binary, empty, oversized or
    malformed file (or JSONL line, or feed entry) yields an error instance in its place, in order.

    Args:
        paths: files and directories.  Directories are walked recursively in sorted order,
            skipping hidden files and directories and following symbolic links; inside a
            directory only files with a known extension (``.txt``, ``.jsonl``, ``.html``,
            ``.xml``, ``.rss``, ``.atom``, ...; for ``fmt``, that format's extensions) are read.
            Files named explicitly are always read.
        date: the publication date of articles whose source gives none (plain text, or HTML,
            JSONL records and feed entries without a date).  Seed files carry their own date, and
            so does a ``.txt`` file with a ``YYYY-MM-DD`` in its name (``2025-08-11_tass.txt``).
        fmt: force a format (``"seed"``, ``"txt"``, ``"jsonl"``, ``"html"``, ``"feed"``);
            ``None`` chooses by extension, then by content.  ``"seed"`` requires the prefix
            (:class:`BadDate` without it); ``"txt"`` still honours a seed prefix.
        max_bytes: files larger than this are reported as :class:`FileTooLarge` without being read.
        max_chars: an article text longer than this is reported as :class:`ArticleTooLarge`.
        on_warning: called with an :class:`~detente.ingest.errors.IngestWarning` for what was read
            but deserves a word (a JSONL key that looks like a date and is not read, say).

    Yields:
        :class:`~detente.doc.Article` objects and :class:`IngestError` instances (text with no
        Cyrillic or Latin letter is :class:`UnsupportedLanguage`).  Article texts
        are the files' texts with ``"\\r\\n"`` normalised to ``"\\n"`` and nothing else changed;
        for seed files, the text after the prefix.  ``name`` is the file name for one-article
        files, the JSONL ``id`` (else ``"{file name}:{line}"``) or the feed entry id/link.
    """
    if isinstance(paths, str | os.PathLike):  # one path, not an iterable of its characters
        paths = [paths]
    opts = {"date": date, "fmt": fmt, "max_bytes": max_bytes, "max_chars": max_chars, "on_warning": on_warning}
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except OSError:  # pragma: no cover - e.g. a name too long for the file system
            is_dir = False
        if is_dir:
            for item in iter_files(path, fmt=fmt if fmt in FORMATS else None):
                if isinstance(item, IngestError):
                    yield item
                elif not _is_annotation_file(item):
                    yield from _safe_read(item, **opts)
        else:
            yield from _safe_read(raw, **opts)


def _is_annotation_file(path: Path) -> bool:
    """True for a JSONL file inside a folder whose first record has no ``text``: gold or other data.

    Such files (``gold.jsonl`` beside seed articles) are passed over when a folder is walked; named
    explicitly they are still read, and reported.
    """
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    try:
        with path.open("rb") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and "text" not in record
    except (OSError, ValueError):
        return False
    return False


def _safe_read(path: str | Path, **opts: Any) -> Iterator[Article | IngestError]:
    """:func:`read_file`, with any unexpected exception reported as an error for that file.

    The parsers report every failure they know of as a specific :class:`IngestError`; this is the
    safety net that keeps one odd file (a library bug, an exotic OS error) from stopping a batch.
    """
    try:
        yield from read_file(path, **opts)
    except OSError as exc:
        yield UnreadableFile(str(path), f"cannot read ({exc.strerror or exc})")
    except Exception as exc:
        yield IngestError(str(path), f"could not be read: unexpected {type(exc).__name__}: {exc}")

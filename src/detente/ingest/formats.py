"""Parsers for each input format: bytes of one file in, articles (or errors) out.

Every parser takes the raw bytes of one file and yields :class:`~detente.doc.Article` objects, or an
:class:`~detente.ingest.errors.IngestError` for each file, record or entry that could not be read.
File-level decoding problems (:class:`BinaryFile`, :class:`UndecodableText`) are raised by the
decoding step and turned into a yielded error by :func:`detente.ingest.read_paths`.

Line ends: every article text has ``"\\r\\n"`` replaced by ``"\\n"`` (a lone ``"\\r"`` is kept),
and nothing else is changed, so character offsets computed by the pipeline point into that text.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any

from detente.doc import Article
from detente.ingest.decode import _check_text, read_text_bytes
from detente.ingest.errors import (
    BadDate,
    EmptyArticle,
    IngestError,
    MalformedFeed,
    MalformedHTML,
    MalformedJSONL,
    UndecodableText,
)
from detente.ingest.htmltext import html_to_text, looks_like_html

__all__ = [
    "SEED_PREFIX",
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

Result = Article | IngestError


def normalize_newlines(text: str) -> str:
    """Replace ``"\\r\\n"`` by ``"\\n"``; every other character, a lone ``"\\r"`` included, is kept."""
    return text.replace("\r\n", "\n")


def _name(path: str) -> str:
    """The file name of ``path``, used as the article name of one-article files."""
    return PurePath(path).name or path


def _norm_lang(value: object) -> str | None:
    """``"ru-RU"`` → ``"ru"``: the lower-cased primary subtag of a language tag, or ``None``."""
    if not isinstance(value, str):
        return None
    primary = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _str_or_none(value: object) -> str | None:
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
    yield Article(text=body, name=_name(path), published=published, source_path=path)


def parse_txt(text: str, path: str, *, date: dt.date | None) -> Iterator[Result]:
    """Yield the article of a plain text file; ``published`` is ``date`` (``None`` is fine)."""
    if not text.strip():
        yield EmptyArticle(path, "is empty or holds only whitespace")
        return
    yield Article(text=text, name=_name(path), published=date, source_path=path)


# --------------------------------------------------------------------------------------------- JSONL


def _jsonl_lines(data: bytes, path: str) -> Iterator[tuple[int, str | IngestError]]:
    """Yield ``(line number, line)`` pairs, or an error for a line that is not valid UTF-8.

    JSON Lines are UTF-8.  A file in UTF-16/32 (BOM or NUL bytes) or entirely in a legacy encoding
    is decoded as a whole with :func:`read_text_bytes`; when only some lines are broken, those
    lines are reported and the rest are read.
    """
    text: str | None = None
    if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = read_text_bytes(data, path)  # UTF-16/32 (NUL bytes are valid UTF-8, so test first)
    else:
        data = data.removeprefix(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        raw_lines = data.split(b"\n")
        decoded: list[str | None] = []
        utf8_non_ascii = 0
        for raw in raw_lines:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                decoded.append(None)
            else:
                decoded.append(line)
                utf8_non_ascii += not raw.isascii()
        if utf8_non_ascii == 0:
            # No line is UTF-8 beyond ASCII: the whole file is in a legacy encoding.
            text = read_text_bytes(data, path)
        else:
            for number, maybe in enumerate(decoded, start=1):
                if maybe is None:
                    yield (
                        number,
                        UndecodableText(
                            path, "is not valid UTF-8 (JSON Lines must be UTF-8)", item=f"line {number}"
                        ),
                    )
                else:
                    yield number, maybe.removesuffix("\r")
            return
    _check_text(text, path)
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.removesuffix("\r")


def parse_jsonl(data: bytes, path: str, *, date: dt.date | None) -> Iterator[Result]:
    """Yield one article per line of a JSON Lines file.

    Each line is an object with ``text`` (required) and optional ``id`` (the article name; else
    ``"{file name}:{line}"``), ``published`` (ISO date or date-time; else ``date``), ``url``,
    ``title``, ``outlet`` and ``lang``.  Blank lines are skipped; a broken line yields an error with
    ``item="line N"`` and the other lines are still read.
    """
    fname = _name(path)
    records = 0
    for number, line in _jsonl_lines(data, path):
        item = f"line {number}"
        if isinstance(line, IngestError):
            records += 1
            yield line
            continue
        if not line.strip():
            continue
        records += 1
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            yield MalformedJSONL(path, f"not valid JSON ({exc.msg} at column {exc.colno})", item=item)
            continue
        except RecursionError:
            yield MalformedJSONL(path, "not valid JSON (nested too deeply)", item=item)
            continue
        if not isinstance(obj, dict):
            yield MalformedJSONL(path, f"expected a JSON object, got {type(obj).__name__}", item=item)
            continue
        yield _jsonl_record(obj, path, fname, number, date)
    if records == 0:
        yield EmptyArticle(path, "holds no JSON records (the file is empty or blank)")


def _jsonl_record(obj: Mapping[str, Any], path: str, fname: str, number: int, date: dt.date | None) -> Result:
    """Turn one decoded JSONL object into an article or an error."""
    item = f"line {number}"
    text = obj.get("text")
    if not isinstance(text, str):
        what = "no 'text' field" if text is None else f"a 'text' field of type {type(text).__name__}"
        return MalformedJSONL(path, f"record has {what}; a string 'text' is required", item=item)
    if not text.strip():
        return EmptyArticle(path, "record has an empty 'text'", item=item)
    raw_id = obj.get("id")
    name = f"{fname}:{number}" if raw_id is None or raw_id == "" else str(raw_id)
    published = date
    raw_date = obj.get("published")
    if raw_date is not None and raw_date != "":
        try:
            published = parse_date(raw_date)
        except ValueError:
            return BadDate(path, f"'published' {raw_date!r} is not an ISO date or date-time", item=item)
    return Article(
        text=normalize_newlines(text),
        name=name,
        published=published,
        url=_str_or_none(obj.get("url")),
        title=_str_or_none(obj.get("title")),
        outlet=_str_or_none(obj.get("outlet")),
        lang=_norm_lang(obj.get("lang")),
        source_path=path,
    )


# ---------------------------------------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE
)


def decode_html(data: bytes, path: str) -> str:
    """Decode an HTML page: its declared charset when that decodes cleanly, else detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:4096]:
        head = data[:4096]
        declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        if declared is not None:
            try:
                return _check_text(data.decode(declared.group(1).decode("ascii")), path)
            except (LookupError, UnicodeDecodeError):
                pass
    return read_text_bytes(data, path)


def parse_html(data: bytes, path: str, *, date: dt.date | None) -> Iterator[Result]:
    """Yield the main text of an HTML page, extracted by trafilatura, with its metadata.

    ``title``, ``url`` (canonical link), ``published`` (else ``date``) and ``outlet`` (site name)
    come from the page; the date must be stated in the page's markup or URL (no guessing from
    dates in the text).  A truncated page gives whatever text trafilatura still finds; a page with
    no extractable text yields :class:`MalformedHTML`.
    """
    html = decode_html(data, path)
    if not html.strip():
        yield EmptyArticle(path, "is empty or holds only whitespace")
        return
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            # Only dates the page states in its markup or URL: the "extensive" search guesses from
            # any date in the text (a "© 2025" footer becomes 2025-01-01), and a wrong publication
            # date would misplace every relative time expression of the article.
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception as exc:  # trafilatura/lxml failing on odd input must not stop the batch
        yield MalformedHTML(path, f"could not be parsed as HTML ({type(exc).__name__}: {exc})")
        return
    meta: dict[str, Any]
    if doc is None:
        meta = {}
    elif isinstance(doc, dict):
        meta = doc
    else:
        meta = doc.as_dict()
    text = meta.get("text")
    if not isinstance(text, str) or not text.strip():
        yield MalformedHTML(path, "no main text could be extracted from the page")
        return
    published = date
    raw_date = meta.get("date")
    if isinstance(raw_date, str) and raw_date:
        try:
            published = parse_date(raw_date[:10])
        except ValueError:
            published = date
    lang_match = _HTML_LANG.search(html[:8192])
    yield Article(
        text=normalize_newlines(text),
        name=_name(path),
        published=published,
        url=_str_or_none(meta.get("url")),
        title=_str_or_none(meta.get("title")),
        outlet=_str_or_none(meta.get("sitename")),
        lang=_norm_lang(meta.get("language")) or (_norm_lang(lang_match.group(1)) if lang_match else None),
        source_path=path,
    )


# ---------------------------------------------------------------------------------------------- Feeds


def _entry_text(entry: Mapping[str, Any]) -> str:
    """The text of a feed entry: its content, else its summary, as plain text."""
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        if isinstance(content, Mapping) and isinstance(content.get("value"), str):
            candidates.append((content["value"], str(content.get("type") or "")))
    detail = entry.get("summary_detail")
    summary = entry.get("summary")
    if isinstance(summary, str):
        kind = str(detail.get("type") or "") if isinstance(detail, Mapping) else ""
        candidates.append((summary, kind))
    for value, kind in candidates:
        text = html_to_text(value) if "html" in kind or looks_like_html(value) else value.strip()
        text = normalize_newlines(text)
        if text.strip():
            return text
    return ""


def _entry_date(entry: Mapping[str, Any]) -> dt.date | None:
    """The publication day of a feed entry, as written in the feed (its own time zone)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            try:
                return email.utils.parsedate_to_datetime(raw.strip()).date()
            except (TypeError, ValueError, IndexError):
                pass
            try:
                return parse_date(raw)
            except ValueError:
                pass
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                pass
    return None


_XML_DECL = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>")


def _reencode_feed(data: bytes, path: str) -> bytes | None:
    """The feed decoded with :func:`read_text_bytes` and re-encoded as UTF-8, if that changes it."""
    if b"\x00" not in data:  # NUL bytes are valid UTF-8 but mean UTF-16/32 here
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return None  # already UTF-8: re-encoding would give the same bytes
    try:
        text = read_text_bytes(data, path)
    except IngestError:
        return None
    return _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1).encode("utf-8")


def parse_feed(data: bytes, path: str, *, date: dt.date | None) -> Iterator[Result]:
    """Yield one article per entry of an RSS or Atom feed.

    Text is the entry's content (HTML turned into text), else its summary; ``title``, ``url`` (the
    link), ``published`` (else ``date``) and ``outlet`` (the feed title) come from the feed; the name
    is the entry id, else its link, else ``"{file name}:{index}"``.  A feed that is not well formed
    but still gives entries yields them; one that gives none yields :class:`MalformedFeed`.  An
    entry without text yields :class:`EmptyArticle` with ``item`` = its link (or ``"entry N"``).
    """
    import feedparser

    try:
        parsed: Any = feedparser.parse(data)
        if not parsed.get("entries"):
            # A feed whose bytes contradict its XML declaration (UTF-16 saved with
            # encoding="utf-8", say) parses once decoded here and re-encoded as UTF-8.
            retry = _reencode_feed(data, path)
            if retry is not None:
                again: Any = feedparser.parse(retry)
                if again.get("entries"):
                    parsed = again
    except IngestError:
        raise
    except Exception as exc:  # feedparser is lenient, but never let one file stop the batch
        yield MalformedFeed(path, f"could not be parsed as a feed ({type(exc).__name__}: {exc})")
        return
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            detail = f" ({problem})" if problem else ""
            yield MalformedFeed(path, f"is not a well-formed RSS/Atom feed{detail} and has no entries")
        elif not parsed.get("version"):
            yield MalformedFeed(path, "is not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
        return
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    outlet = _str_or_none(feed.get("title"))
    feed_lang = _norm_lang(feed.get("language"))
    fname = _name(path)
    for index, entry in enumerate(entries, start=1):
        link = _str_or_none(entry.get("link"))
        entry_id = _str_or_none(entry.get("id"))
        item = link or entry_id or f"entry {index}"
        text = _entry_text(entry)
        if not text.strip():
            yield EmptyArticle(path, "feed entry has no content or summary text", item=item)
            continue
        title = _str_or_none(entry.get("title"))
        if title is not None and looks_like_html(title):
            title = _str_or_none(html_to_text(title))
        content_lang = None
        for content in entry.get("content") or []:
            if isinstance(content, Mapping):
                content_lang = content_lang or _norm_lang(content.get("language"))
        yield Article(
            text=text,
            name=entry_id or link or f"{fname}:{index}",
            published=_entry_date(entry) or date,
            url=link,
            title=title,
            outlet=outlet,
            lang=content_lang or feed_lang,
            source_path=path,
        )

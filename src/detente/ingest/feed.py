"""RSS and Atom feed files: one article per entry.

feedparser is only ever handed a file object over the bytes read: given bytes or a string it tries
them as a file name or URL first, so a feed file whose content is ``/dev/zero`` or another file's
path would make it read that file, past ``--max-bytes``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any

from detente.doc import Article
from detente.ingest.common import Result, name_of, norm_lang, normalize_newlines, parse_date, str_or_none
from detente.ingest.decode import read_text_bytes
from detente.ingest.errors import EmptyArticle, IngestError, MalformedFeed
from detente.ingest.htmltext import html_to_text, looks_like_html

__all__ = ["parse_feed"]


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


def _parse_bytes(data: bytes, path: str) -> Any:
    """Run feedparser over ``data`` (as a file object: never a name it could open), retrying re-encoded."""
    import feedparser

    parsed: Any = feedparser.parse(io.BytesIO(data))
    if not parsed.get("entries"):
        # A feed whose bytes contradict its XML declaration (UTF-16 saved with
        # encoding="utf-8", say) parses once decoded here and re-encoded as UTF-8.
        retry = _reencode_feed(data, path)
        if retry is not None:
            again: Any = feedparser.parse(io.BytesIO(retry))
            if again.get("entries"):
                parsed = again
    return parsed


def _no_entries(parsed: Any, path: str) -> MalformedFeed | None:
    """The error of a parse that gave no entries (``None``: a valid feed that is simply empty)."""
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        return MalformedFeed(path, f"is not a well-formed RSS/Atom feed{detail} and has no entries")
    if not parsed.get("version"):
        return MalformedFeed(path, "is not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
    return None


def _entry_article(entry: Mapping[str, Any], index: int, feed: Mapping[str, Any], path: str,
                   date: dt.date | None, links: bool = False) -> Result:
    """The article of one feed entry, or :class:`EmptyArticle` when it has no text (with ``links``, only when
    it has no link either: a watcher fetches the linked page)."""
    link = str_or_none(entry.get("link"))
    entry_id = str_or_none(entry.get("id"))
    text = _entry_text(entry)
    if not text.strip() and not (links and link):
        item = link or entry_id or f"entry {index}"
        return EmptyArticle(path, "feed entry has no content or summary text", item=item)
    title = str_or_none(entry.get("title"))
    if title is not None and looks_like_html(title):
        title = str_or_none(html_to_text(title))
    content_lang = None
    for content in entry.get("content") or []:
        if isinstance(content, Mapping):
            content_lang = content_lang or norm_lang(content.get("language"))
    return Article(
        text=text,
        name=entry_id or link or f"{name_of(path)}:{index}",
        published=_entry_date(entry) or date,
        url=link,
        title=title,
        outlet=str_or_none(feed.get("title")),
        lang=content_lang or norm_lang(feed.get("language")),
        source_path=path,
    )


def parse_feed(data: bytes, path: str, *, date: dt.date | None, links: bool = False) -> Iterator[Result]:
    """Yield one article per entry of an RSS or Atom feed.

    Text is the entry's content (HTML turned into text), else its summary; ``title``, ``url`` (the
    link), ``published`` (else ``date``) and ``outlet`` (the feed title) come from the feed; the name
    is the entry id, else its link, else ``"{file name}:{index}"``.  A feed that is not well formed
    but still gives entries yields them; one that gives none yields :class:`MalformedFeed`.  An
    entry without text yields :class:`EmptyArticle` with ``item`` = its link (or ``"entry N"``), unless
    ``links`` asks for the entries a watcher follows: then an entry with a link and no text is an article
    of empty text, whose page gives the text.
    """
    try:
        parsed = _parse_bytes(data, path)
    except IngestError:
        raise
    except Exception as exc:  # feedparser is lenient, but never let one file stop the batch
        yield MalformedFeed(path, f"could not be parsed as a feed ({type(exc).__name__}: {exc})")
        return
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries:
        problem = _no_entries(parsed, path)
        if problem is not None:
            yield problem
        return
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    for index, entry in enumerate(entries, start=1):
        yield _entry_article(entry, index, feed, path, date, links)

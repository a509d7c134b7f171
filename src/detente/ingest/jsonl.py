"""JSON Lines input: one article per line, ``text`` plus optional metadata."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from detente.doc import Article
from detente.ingest.common import (
    DATE_KEYS,
    Result,
    Warn,
    name_of,
    norm_lang,
    normalize_newlines,
    parse_date,
    str_or_none,
    warn_date_keys,
)
from detente.ingest.decode import _check_text, read_text_bytes
from detente.ingest.errors import BadDate, EmptyArticle, IngestError, IngestWarning, MalformedJSONL, UndecodableText

__all__ = ["JSONL_KEYS", "parse_jsonl"]

#: The keys a record may have; any other key that looks like a date is reported as a warning.
JSONL_KEYS: tuple[str, ...] = ("text", "id", *DATE_KEYS, "url", "title", "outlet", "lang")


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


def parse_jsonl(data: bytes, path: str, *, date: dt.date | None, warn: Warn = None) -> Iterator[Result]:
    """Yield one article per line of a JSON Lines file.

    Each line is an object with ``text`` (required) and optional ``id`` (the article name; else
    ``"{file name}:{line}"``), ``published`` or ``date`` (ISO date or date-time; else ``date``),
    ``url``, ``title``, ``outlet`` and ``lang``.  Another key that looks like a date (``pub_date``,
    ``datePublished`` ...) is reported to ``warn``, naming the key.  Blank lines are skipped; a broken
    line yields an error with ``item="line N"`` and the other lines are still read.
    """
    fname = name_of(path)
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
        obj = _without_lone_surrogates(obj, path, item, warn)
        result = _jsonl_record(obj, path, fname, number, date)
        if isinstance(result, Article):
            warn_date_keys(obj, JSONL_KEYS, path, item, warn)
        yield result
    if records == 0:
        yield EmptyArticle(path, "holds no JSON records (the file is empty or blank)")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(obj: dict[str, Any], path: str, item: str, warn: Warn) -> dict[str, Any]:
    """The record with each unpaired surrogate escape (``"\\ud800"``, not a character) in a string field
    replaced by U+FFFD (one character for one: offsets stay), and a warning when there was any."""
    bad = [k for k, v in obj.items() if isinstance(v, str) and _SURROGATE.search(v)]
    if not bad:
        return obj
    if warn is not None:
        warn(IngestWarning(path, f"unpaired surrogate escapes in {', '.join(map(repr, bad))} replaced by U+FFFD",
                           item=item))
    return {k: _SURROGATE.sub("\ufffd", v) if k in bad else v for k, v in obj.items()}


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
    for key in DATE_KEYS:
        raw_date = obj.get(key)
        if raw_date is None or raw_date == "":
            continue
        try:
            published = parse_date(raw_date)
        except ValueError:
            return BadDate(path, f"{key!r} {raw_date!r} is not an ISO date or date-time", item=item)
        break
    return Article(
        text=normalize_newlines(text),
        name=name,
        published=published,
        url=str_or_none(obj.get("url")),
        title=str_or_none(obj.get("title")),
        outlet=str_or_none(obj.get("outlet")),
        lang=norm_lang(obj.get("lang")),
        source_path=path,
    )

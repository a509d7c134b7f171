"""Saved HTML pages: the main text and metadata through trafilatura."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from detente.doc import Article
from detente.ingest.common import Result, name_of, norm_lang, normalize_newlines, parse_date, str_or_none
from detente.ingest.decode import _check_text, read_text_bytes
from detente.ingest.errors import EmptyArticle, MalformedHTML

__all__ = ["decode_html", "parse_html"]

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
        name=name_of(path),
        published=published,
        url=str_or_none(meta.get("url")),
        title=str_or_none(meta.get("title")),
        outlet=str_or_none(meta.get("sitename")),
        lang=norm_lang(meta.get("language")) or (norm_lang(lang_match.group(1)) if lang_match else None),
        source_path=path,
    )

"""A small HTML-fragment-to-text converter for feed entries.

Feed entries carry short, already sanitised HTML (``<p>``, ``<br>``, ``<b>``, links, lists).
Full pages go through trafilatura instead; for fragments a boilerplate remover is overkill and
may drop short texts, so this keeps every text node, turns block elements into line breaks and
collapses the whitespace that HTML does not render.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "looks_like_html"]

_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre",
        "section", "table", "tr", "ul",
    }
)  # fmt: skip
_SKIP = frozenset({"script", "style", "template", "noscript", "head", "title"})
_WS = re.compile(r"[ \t\r\n\f\v]+")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains something that looks like an HTML tag."""
    return _TAG.search(text) is not None


class _TextCollector(HTMLParser):
    """Collects the text nodes of an HTML fragment, with a line break per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def _break(self) -> None:
        line = "".join(self.current).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: start a new line for blocks, stop collecting inside scripts."""
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self._break()
        elif tag in _BLOCK:
            self._break()
            if tag == "pre":
                self.pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing element (``<br/>``, ``<hr/>``): a line break at most."""
        if tag == "br" or tag in _BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        """Close an element: end the line of a block, resume collecting after a script."""
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self._break()
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        """Keep a text node, collapsing whitespace outside ``<pre>``."""
        if self.skip_depth:
            return
        self.current.append(data if self.pre_depth else _WS.sub(" ", data))


def html_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment: one line per block element, entities resolved.

    Whitespace inside a line is collapsed to single spaces and empty lines are dropped, so the
    result has paragraphs separated by ``"\\n"`` and no leading or trailing whitespace.
    """
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    parser._break()
    return "\n".join(parser.lines)

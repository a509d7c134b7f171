"""Mark spans of an article's text as nested HTML, from character offsets.

Spans may nest (an entity inside a quote) or cross (a trigger that overlaps an entity). Nested spans
become nested ``<mark>`` elements; a span that crosses another is split into pieces that carry the
same ``data-span`` number, so the text of all its pieces joined is always ``text[start:end]``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True, slots=True)
class Span:
    """One highlighted span: offsets into the text, CSS classes, a hover title and data attributes."""

    start: int
    end: int
    kind: str
    classes: str = ""
    title: str = ""
    data: dict[str, str] = field(default_factory=dict)
    id: str | None = None


# outer kinds first when two spans cover the same text
_DEPTH = {"quote": 0, "entity": 1, "time": 1, "trigger": 2}


def _open(n: int, span: Span, first: bool) -> str:
    attrs = [
        f'class="{escape(" ".join(filter(None, ("hl", "hl-" + span.kind, span.classes))))}"',
        f'data-span="{n}"',
        f'data-kind="{escape(span.kind)}"',
        f'data-start="{span.start}"',
        f'data-end="{span.end}"',
    ]
    if span.title:
        attrs.append(f'title="{escape(span.title)}"')
    attrs.extend(f'data-{escape(k)}="{escape(v)}"' for k, v in span.data.items())
    if first and span.id:
        attrs.append(f'id="{escape(span.id)}"')
    if not first:
        attrs.append('data-part="cont"')
    return f"<mark {' '.join(attrs)}>"


def highlight(text: str, spans: list[Span]) -> str:
    """Return ``text`` as escaped HTML with every span marked (spans outside the text are dropped)."""
    good = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    order = sorted(range(len(good)), key=lambda i: (good[i].start, -good[i].end, _DEPTH.get(good[i].kind, 3), i))
    rank = {i: r for r, i in enumerate(order)}
    cuts = sorted({0, len(text)} | {s.start for s in good} | {s.end for s in good})
    out: list[str] = []
    stack: list[int] = []
    opened: set[int] = set()
    for a, b in itertools.pairwise(cuts):
        want = sorted((i for i, s in enumerate(good) if s.start <= a and b <= s.end), key=rank.__getitem__)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        for _ in range(len(stack) - keep):
            out.append("</mark>")
            stack.pop()
        for i in want[keep:]:
            out.append(_open(i, good[i], i not in opened))
            opened.add(i)
            stack.append(i)
        out.append(escape(text[a:b], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)

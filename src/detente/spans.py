"""Sorted views over a layer of spans, so a stage finds what lies in a range in logarithmic time.

Stages used to scan a whole layer for each sentence or quote, which made processing time grow with
the square of an article's length; they look spans up through these views instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class _Span(Protocol):
    @property
    def start(self) -> int: ...


S = TypeVar("S", bound=_Span)


class SpanIndex(Generic[S]):
    """The spans of one layer ordered by their start offset (ties keep the layer's order)."""

    __slots__ = ("_items", "_starts")

    def __init__(self, items: Sequence[S]) -> None:
        order = sorted(range(len(items)), key=lambda i: items[i].start)
        self._items = [items[i] for i in order]
        self._starts = [s.start for s in self._items]

    def starting_in(self, lo: int, hi: int) -> list[S]:
        """The spans with ``lo <= start < hi``, in order of their start."""
        return self._items[bisect.bisect_left(self._starts, lo) : bisect.bisect_left(self._starts, hi)]

    def last_before(self, offset: int) -> S | None:
        """The last span that starts before ``offset``."""
        k = bisect.bisect_left(self._starts, offset)
        return self._items[k - 1] if k > 0 else None


class TokenIndex:
    """Token and sentence positions of a document, for offset-to-index lookups by bisection."""

    __slots__ = ("ends", "sent_starts", "starts")

    def __init__(self, token_bounds: Sequence[tuple[int, int]], sent_starts: Sequence[int]) -> None:
        self.starts = [a for a, _ in token_bounds]
        self.ends = [b for _, b in token_bounds]
        self.sent_starts = list(sent_starts)

    def first_from(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset`` (``len`` when there is none)."""
        return bisect.bisect_left(self.starts, offset)

    def ending_by(self, offset: int) -> int:
        """Number of tokens that end at or before ``offset``: tokens ``[0, n)``."""
        return bisect.bisect_right(self.ends, offset)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence that starts last at or before ``offset`` (-1 before the first)."""
        return bisect.bisect_right(self.sent_starts, offset) - 1

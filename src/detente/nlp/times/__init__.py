"""Time expressions: find them in an article and resolve them against the publication date.

The word lists live in ``lang/<lang>/times.yaml`` (month and weekday forms, relative words with
their offsets, prepositions, vague words); this module turns them into regular expressions, compiled
once per language, and resolves every match:

* absolute dates ("8 августа 2025 года", "2025-08-08", "8.08.2025") keep their own year;
* a day and month without a year take the year that puts the date nearest to the publication date;
  a month without a year likewise;
* a bare weekday is the most recent such day on or before the publication date, "next"/"следующий"
  makes it the next one after it, "last"/"прошлый" the one before it, "this"/"этот" the one in the
  publication week;
* relative words ("вчера", "на прошлой неделе", "торік", "3 дня назад") are offsets from it;
* vague words ("позже", "ранее", "soon") get no value, only ``relation`` "before" or "after".

Values are ISO strings: ``2025-08-08`` (day), ``2025-W32`` (week), ``2025-08`` (month), ``2025`` (year).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from detente.doc import Doc, TimeExpr
from detente.lang import default_languages, on_change, primary_code
from detente.nlp.times.compile import build
from detente.nlp.times.data import Rules, load_yaml
from detente.nlp.times.resolve import find

__all__ = ["TimeTagger", "find_times"]


@functools.lru_cache(maxsize=32)
def rules_of(lang: str) -> Rules:
    """Return the compiled rules of ``lang``, built once; an unknown language gets numeric dates only."""
    return build(lang, load_yaml(lang) if lang else {})


on_change(rules_of.cache_clear)


def find_times(
    text: str, lang: str, published: dt.date | None, *, start: int = 0, end: int | None = None
) -> list[TimeExpr]:
    """Return the time expressions of ``text[start:end]``, resolved against ``published``.

    Offsets are into the full ``text``; the expressions do not overlap and are sorted by start.
    Relative expressions get ``value`` None when ``published`` is None; vague words ("позже",
    "recently") always do, with ``relation`` "before" or "after" and ``vague`` True.
    """
    stop = len(text) if end is None else min(end, len(text))
    return find(rules_of(primary_code(lang)), text, published, max(start, 0), stop)


class TimeTagger:
    """Pipeline stage that fills :attr:`Doc.times`, per sentence language when sentences are known."""

    name = "times"
    requires: tuple[str, ...] = ()
    assigns = ("times",)

    def __init__(self, langs: Iterable[str] | None = None) -> None:
        """Load and compile the data of ``langs`` (by default every registered language) once."""
        codes = default_languages().codes if langs is None else langs
        self._rules: dict[str, Rules] = {lang: rules_of(primary_code(lang)) for lang in codes}

    def _get(self, lang: str) -> Rules:
        """Return the rules of ``lang``, loading a language not given at construction on first use."""
        code = primary_code(lang)
        rules = self._rules.get(code)
        if rules is None:
            rules = self._rules[code] = rules_of(code)
        return rules

    def __call__(self, doc: Doc) -> Doc:
        """Find and resolve the time expressions of ``doc`` and store them in ``doc.times``."""
        spans = [(s.start, s.end, s.lang) for s in doc.sents] or [(0, len(doc.text), doc.lang)]
        times: list[TimeExpr] = []
        for start, end, lang in spans:
            times.extend(find(self._get(lang), doc.text, doc.published, start, end))
        times.sort(key=lambda t: t.start)
        doc.times = times
        return doc

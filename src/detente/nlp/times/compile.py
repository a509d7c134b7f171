"""Compiling a language's time words into regular expressions and lookup tables."""

from __future__ import annotations

import re
from typing import Any

from detente.nlp.times.data import (
    _B,
    _DASH,
    _DAY,
    _E,
    _YEAR,
    Rules,
    _alt,
    _index_lists,
    _key,
    _label_map,
    _offset_map,
    _strs,
)


def build(lang: str, data: dict[str, Any]) -> Rules:
    """Compile the word lists of one language into patterns and lookup tables."""
    b = _Builder(data)
    # generic numeric forms, valid in every language
    b.add("iso", rf"(?<![\w.\-/])(?P<y>{_YEAR})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})(?!\d)")
    b.add("dmy", rf"(?<![\w.,/])(?P<d>{_DAY})\.(?P<mo>\d{{1,2}})\.(?P<y>{_YEAR})(?!\.\d)")
    b.day_month()
    b.month_year()
    b.years()
    b.weekdays()
    b.relative()
    b.ago()
    b.vague_words()
    return Rules(
        lang=lang, patterns=tuple((kind, re.compile(src, re.IGNORECASE)) for kind, src in b.pats),
        months=b.all_months, weekdays=b.weekday_table, weekday_mods=b.wd_mods,
        weekday_prep_required=bool(data.get("weekday_prep_required", False)), relative_days=b.rel_days,
        periods=b.periods, year_rel=b.year_rel, numbers=b.numbers, units=b.units, ago_markers=b.markers,
        vague=b.vague,
    )


def _table(lists: list[list[str]], first: int) -> dict[str, int]:
    """``{form key: index}`` of numbered form lists (months from 1, weekdays from 0)."""
    return {_key(f): i for i, forms in enumerate(lists, first) for f in forms}


class _Builder:
    """The patterns and tables of one language, built piece by piece from its ``times.yaml``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.pats: list[tuple[str, str]] = []
        self.month_lists = _index_lists(data.get("months"), "months")
        self.month_in_lists = _index_lists(data.get("month_in"), "month_in")
        self.all_months = {**_table(self.month_lists, 1), **_table(self.month_in_lists, 1)}
        self.m_forms = _alt(f for forms in self.month_lists for f in forms)
        m_suf = self.alt("month_suffixes")
        self.suf = f"(?:{m_suf})?" if m_suf else ""
        rel_tail_map = _offset_map(data.get("year_rel_tail"), "year_rel_tail")
        rel_head_map = _offset_map(data.get("year_rel_head"), "year_rel_head")
        self.year_rel = {**rel_tail_map, **rel_head_map}
        self.year_words = self.alt("year_words")
        y_suf_alt = self.alt("year_suffixes")
        self.y_suf = f"(?:{y_suf_alt})?" if y_suf_alt else ""
        self.tail = self._tail(_alt(rel_tail_map))
        self.head = self._head(_alt(rel_head_map))
        self.weekday_table: dict[str, int] = {}
        self.wd_mods: dict[str, str] = {}
        self.rel_days: dict[str, int] = {}
        self.periods: dict[str, tuple[str, int]] = {}
        self.numbers: dict[str, int] = {}
        self.units: dict[str, str] = {}
        self.markers: dict[str, int] = {}
        self.vague: dict[str, str | None] = {}

    def add(self, kind: str, pattern: str) -> None:
        """Add one pattern of ``kind`` (the resolver's name for what it matches)."""
        self.pats.append((kind, pattern))

    def alt(self, key: str) -> str | None:
        """The alternation of the word list ``key``."""
        return _alt(_strs(self.data.get(key), key))

    def month(self, name: str, forms: str) -> str:
        """A month form as the named group ``name``, with the language's month suffixes."""
        return f"(?P<{name}>{forms}){self.suf}{_E}"

    def _tail(self, rel_tail: str | None) -> str:
        y_word_opt = f"(?:\\s*{self.year_words}{_E})?" if self.year_words else ""
        tail_parts = [f",?\\s+(?P<y>{_YEAR}){self.y_suf}{y_word_opt}"]
        if rel_tail:
            tail_parts.append(f"\\s+(?P<trel>{rel_tail}){_E}")
        return "(?:" + "|".join(tail_parts) + ")"

    def _head(self, rel_head: str | None) -> str:
        head_words = self.alt("year_head_words")
        head_parts: list[str] = []
        if head_words:
            head_parts.append(f"(?P<hy>{_YEAR})\\s*{head_words}{_E}\\s+")
        if rel_head:
            head_parts.append(f"(?P<hrel>{rel_head}){_E}\\s+")
        return "(?:" + "|".join(head_parts) + ")" if head_parts else ""

    def day_month(self) -> None:
        """"8 августа", "8–9 августа 2025 года", "с 8 августа", "August 8" (month-first languages)."""
        if not self.m_forms:
            return
        d_suf_alt = self.alt("day_suffixes")
        day = f"{_DAY}{f'(?:{d_suf_alt})?' if d_suf_alt else ''}"
        joiners = self.alt("day_month_joiners")
        join = f"(?:{joiners}\\s+)?" if joiners else ""
        r_starts = self.alt("range_starts")
        r_joiners = self.alt("range_joiners")
        range_sep = _DASH if not r_joiners else f"(?:{_DASH}|\\s+{r_joiners}\\s+)"
        rs = f"(?:(?P<rs>{r_starts})\\s+)?" if r_starts else ""
        head, tail, m_forms = self.head, self.tail, self.m_forms
        self.add("dm", f"(?<![\\w.,:/]){head + '?' if head else ''}{rs}(?P<d1>{day})"
                       f"(?:(?:(?:\\s+|-){self.month('m1', m_forms)})?{range_sep}(?P<d2>{day}))?"
                       f"(?:\\s+|-){join}{self.month('m2', m_forms)}{tail}?")
        if self.data.get("month_first"):
            self.add("dm", f"{_B}{rs}{self.month('m2', m_forms)}\\s+(?P<d1>{day})(?:{range_sep}(?P<d2>{day}))?"
                           f"{_E}{tail}?")

    def month_year(self) -> None:
        """"в августе", "в конце августа", "августа 2025 года", "в прошлом году в августе"."""
        m_in_forms = _alt(f for forms in self.month_in_lists for f in forms)
        m_all_forms = _alt([f for forms in self.month_lists for f in forms]
                           + [f for fs in self.month_in_lists for f in fs])
        preps = self.alt("month_preps")
        parts = self.alt("month_parts")
        if m_all_forms:
            pre_alts = [p for p in (preps, parts) if p]
            pre = f"(?:(?P<pp>{'|'.join(pre_alts)})(?:\\s+|-))?" if pre_alts else ""
            self.add("my", f"{_B}{pre}{self.month('m', m_all_forms)}{self.tail}")
            if self.head:
                self.add("my", f"{_B}{self.head}{self.month('m', m_all_forms)}")
        if m_in_forms:
            if preps:
                self.add("m", f"{_B}(?P<pp>{preps})\\s+(?P<m>{m_in_forms}){_E}")
            else:
                self.add("m", f"{_B}(?P<m>{m_in_forms}){_E}")
        if parts and self.m_forms:
            self.add("m", f"{_B}(?P<pp>{parts})(?:\\s+|-){self.month('m', self.m_forms)}")

    def years(self) -> None:
        """"в 2025 году", "2025 жылы", "in 2025"."""
        year_preps = self.alt("year_preps")
        if self.year_words:
            ypre = f"(?:{year_preps}\\s+)?" if year_preps else ""
            self.add("y", f"(?<![\\w.,]){ypre}(?P<y>{_YEAR}){self.y_suf}\\s*{self.year_words}{_E}")
        year_bare = self.alt("year_bare_preps")
        if year_bare:
            self.add("y", f"{_B}{year_bare}\\s+(?P<y>{_YEAR})(?!{_DASH}\\d|[.,:/]\\d){_E}")

    def weekdays(self) -> None:
        """"в пятницу", "next Monday", "минулого вівторка"."""
        wd_lists = _index_lists(self.data.get("weekdays"), "weekdays")
        self.weekday_table = _table(wd_lists, 0)
        wd_forms = _alt(f for forms in wd_lists for f in forms)
        self.wd_mods = _label_map(self.data.get("weekday_mods"), "weekday_mods")
        if wd_forms:
            wp = self.alt("weekday_preps")
            wm = _alt(self.wd_mods)
            p = f"(?:(?P<pp>{wp})\\s+)?" if wp else ""
            mo = f"(?:(?P<mod>{wm})\\s+)?" if wm else ""
            self.add("wd", f"{_B}{p}{mo}(?P<wd>{wd_forms}){_E}")

    def relative(self) -> None:
        """Relative days ("вчера") and periods ("на прошлой неделе", "торік")."""
        self.rel_days = _offset_map(self.data.get("relative_days"), "relative_days")
        rd = _alt(self.rel_days)
        if rd:
            self.add("rd", f"{_B}(?P<w>{rd}){_E}")
        for unit, offs in (self.data.get("periods") or {}).items():
            for form, off in _offset_map(offs, f"periods.{unit}").items():
                self.periods[form] = (str(unit), off)
        per = _alt(self.periods)
        if per:
            self.add("per", f"{_B}(?P<w>{per}){_E}")

    def ago(self) -> None:
        """"3 дня назад", "через две недели", "two weeks ago"."""
        ago = self.data.get("ago") or {}
        self.numbers = _offset_map(ago.get("numbers"), "ago.numbers")
        self.units = _label_map(ago.get("units"), "ago.units")
        bare_units = [_key(f) for f in _strs(ago.get("bare_units"), "ago.bare_units")]
        for name, sign in (("past_after", -1), ("past_before", -1), ("future_before", 1), ("future_after", 1)):
            for f in _strs(ago.get(name), f"ago.{name}"):
                self.markers[_key(f)] = sign
        num_words = _alt(self.numbers)
        unit_alt = _alt(self.units)
        if not unit_alt:
            return
        num = f"(?:\\d{{1,3}}(?!\\d)|{num_words}{_E})" if num_words else r"\d{1,3}(?!\d)"
        bare = _alt(bare_units)
        qty = f"(?:(?P<n>{num})\\s+(?P<u>{unit_alt})" + (f"|(?P<bu>{bare})" if bare else "") + ")"
        before = _alt(_strs(ago.get("past_before"), "") + _strs(ago.get("future_before"), ""))
        after = _alt(_strs(ago.get("past_after"), "") + _strs(ago.get("future_after"), ""))
        if after:
            self.add("ago", f"(?<![\\w.,]){qty}\\s+(?P<mk>{after}){_E}")
        if before:
            self.add("ago", f"{_B}(?P<mk>{before})\\s+{qty}{_E}")

    def vague_words(self) -> None:
        """"позже", "ранее", "soon": a relation without a value."""
        for rel, forms in (self.data.get("vague") or {}).items():
            for f in _strs(forms, "vague"):
                self.vague[_key(f)] = None if rel in (None, "unknown") else str(rel)
        va = _alt(self.vague)
        if va:
            self.add("vague", f"{_B}(?P<w>{va}){_E}")

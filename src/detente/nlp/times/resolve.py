"""Resolving the matches of a language's time patterns into dated, non-overlapping time expressions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from detente.doc import Precision, TimeExpr
from detente.nlp.times.calendar import (
    _format,
    _nearest_day,
    _nearest_month,
    _relation,
    _safe_date,
    _shift_months,
    _sign_relation,
)
from detente.nlp.times.data import _DIGITS, _UNIT_PRECISION, Rules, _key


@dataclass(slots=True)
class _Hit:
    """A resolved match before overlap removal."""

    start: int
    end: int
    day: dt.date | None
    precision: Precision | None
    hint: str | None = None  # relation when the value cannot be computed
    vague: bool = False


def _explicit_year(m: re.Match[str], rules: Rules, pub: dt.date | None) -> tuple[int | None, bool]:
    """Return (year, has_year) from a match's year groups (numeric or relative, head or tail)."""
    gd = m.groupdict()
    for name in ("y", "hy"):
        if gd.get(name):
            return int(gd[name]), True
    for name in ("trel", "hrel"):
        if gd.get(name):
            off = rules.year_rel.get(_key(gd[name]), 0)
            return (pub.year + off if pub else None), True
    return None, False


def _year_hint(m: re.Match[str], rules: Rules) -> str | None:
    """Return the relation implied by a relative year in the match ("прошлого года" → past)."""
    gd = m.groupdict()
    for name in ("trel", "hrel"):
        if gd.get(name):
            return _sign_relation(rules.year_rel.get(_key(gd[name]), 0))
    return None


def _day_number(raw: str) -> int:
    """Return the number of a day token ("8", "8-го", "8th")."""
    m = _DIGITS.match(raw)
    return int(m.group()) if m else 0


def _resolve(kind: str, m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """Resolve one regex match of ``kind`` into a hit, or None when it is not a time expression."""
    if kind in ("iso", "dmy"):
        gd = m.groupdict()
        day = _safe_date(int(gd["y"]), int(gd["mo"]), int(gd["d"]))
        return None if day is None else _Hit(m.start(), m.end(), day, "day")
    if kind == "y":
        return _Hit(m.start(), m.end(), dt.date(int(m.group("y")), 1, 1), "year")
    if kind == "vague":
        return _Hit(m.start(), m.end(), None, None, rules.vague.get(_key(m.group("w"))), vague=True)
    resolver = _RESOLVERS.get(kind)
    return resolver(m, rules, pub) if resolver is not None else None


def _day_month(m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """"8 августа", "8–9 августа 2025 года": the year given, else the one nearest the publication."""
    start, end = m.start(), m.end()
    gd = m.groupdict()
    d1 = _day_number(gd["d1"])
    if not 1 <= d1 <= 31:
        return None
    if gd.get("d2"):
        if not 1 <= _day_number(gd["d2"]) <= 31:
            return None
    elif gd.get("rs"):
        start = m.start("d1")  # "с 8 августа": the preposition is not part of a single date
    m2 = rules.months.get(_key(gd["m2"]))
    if m2 is None:
        return None
    m1 = rules.months.get(_key(gd["m1"]), m2) if gd.get("m1") else m2
    year, has_year = _explicit_year(m, rules, pub)
    if has_year:
        if year is None:
            return _Hit(start, end, None, "day", _year_hint(m, rules))
        day = _safe_date(year - 1 if m1 > m2 else year, m1, d1)
    elif pub is None:
        return None if _safe_date(2024, m1, d1) is None else _Hit(start, end, None, "day")
    else:
        day = _nearest_day(m1, d1, pub)
    return None if day is None else _Hit(start, end, day, "day")


def _month(m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """"в августе", "августа 2025 года": a month, its year given or the nearest one."""
    start, end = m.start(), m.end()
    mon = rules.months.get(_key(m.group("m")))
    if mon is None:
        return None
    year, has_year = _explicit_year(m, rules, pub)
    if has_year:
        if year is None:
            return _Hit(start, end, None, "month", _year_hint(m, rules))
        return _Hit(start, end, dt.date(year, mon, 1), "month")
    if pub is None:
        return _Hit(start, end, None, "month")
    return _Hit(start, end, _nearest_month(mon, pub), "month")


def _weekday(m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """A weekday: the latest on or before the publication date, or the next/previous/this week's one."""
    start, end = m.start(), m.end()
    gd = m.groupdict()
    target = rules.weekdays.get(_key(gd["wd"]))
    if target is None:
        return None
    mod = rules.weekday_mods.get(_key(gd["mod"])) if gd.get("mod") else None
    if rules.weekday_prep_required and not gd.get("pp") and mod is None:
        return None
    if pub is None:
        return _Hit(start, end, None, "day", {"past": "past", "future": "future"}.get(mod or ""))
    today = pub.weekday()
    if mod == "future":
        day = pub + dt.timedelta(days=(target - today) % 7 or 7)
    elif mod == "past":
        day = pub - dt.timedelta(days=(today - target) % 7 or 7)
    elif mod == "present":
        day = pub + dt.timedelta(days=target - today)
    else:
        day = pub - dt.timedelta(days=(today - target) % 7)
    return _Hit(start, end, day, "day")


def _relative_day(m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """"вчера", "позавчора": a day offset from the publication date."""
    off = rules.relative_days[_key(m.group("w"))]
    if pub is None:
        return _Hit(m.start(), m.end(), None, "day", _sign_relation(off))
    return _Hit(m.start(), m.end(), pub + dt.timedelta(days=off), "day")


def _period(m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """"на прошлой неделе", "торік": a week, month or year offset from the publication date."""
    unit, off = rules.periods[_key(m.group("w"))]
    return _offset_hit(m.start(), m.end(), unit, off, pub)


def _ago(m: re.Match[str], rules: Rules, pub: dt.date | None) -> _Hit | None:
    """"3 дня назад", "через две недели": a counted offset in days, weeks, months or years."""
    gd = m.groupdict()
    sign = rules.ago_markers.get(_key(gd["mk"]), -1)
    if gd.get("bu"):
        unit, n = rules.units.get(_key(gd["bu"]), "day"), 1
    else:
        unit = rules.units.get(_key(gd["u"]), "day")
        raw = gd["n"]
        n = int(raw) if raw.isdigit() else rules.numbers.get(_key(raw), 1)
    return _offset_hit(m.start(), m.end(), unit, sign * n, pub)


_RESOLVERS: dict[str, Callable[[re.Match[str], Rules, dt.date | None], _Hit | None]] = {
    "dm": _day_month, "my": _month, "m": _month, "wd": _weekday, "rd": _relative_day, "per": _period, "ago": _ago,
}


def _offset_hit(start: int, end: int, unit: str, off: int, pub: dt.date | None) -> _Hit:
    """Return the hit for ``off`` units (day/week/month/year) from the publication date."""
    precision = _UNIT_PRECISION.get(unit, "day")
    if pub is None:
        return _Hit(start, end, None, precision, _sign_relation(off))
    if unit == "week":
        day = pub + dt.timedelta(days=7 * off)
    elif unit == "month":
        day = _shift_months(pub, off)
    elif unit == "year":
        day = dt.date(pub.year + off, 1, 1)
    else:
        day = pub + dt.timedelta(days=off)
    return _Hit(start, end, day, precision)


def _to_expr(text: str, hit: _Hit, pub: dt.date | None) -> TimeExpr:
    """Turn a hit into a TimeExpr with its ISO value and relation."""
    value: str | None = None
    relation = hit.hint
    if hit.day is not None and hit.precision is not None:
        value = _format(hit.day, hit.precision)
        if pub is not None:
            relation = _relation(hit.day, hit.precision, pub)
    return TimeExpr(
        start=hit.start,
        end=hit.end,
        text=text[hit.start : hit.end],
        value=value,
        precision=hit.precision,
        relation=relation,
        vague=hit.vague,
    )


def _select(hits: Sequence[_Hit]) -> list[_Hit]:
    """Keep non-overlapping hits, longest first (earliest on ties), returned in text order."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    kept.sort(key=lambda h: h.start)
    return kept


def find(rules: Rules, text: str, published: dt.date | None, start: int, end: int) -> list[TimeExpr]:
    """Run every pattern of ``rules`` over ``text[start:end]`` and resolve the matches."""
    hits: list[_Hit] = []
    for kind, pattern in rules.patterns:
        for m in pattern.finditer(text, start, end):
            hit = _resolve(kind, m, rules, published)
            if hit is not None:
                hits.append(hit)
    return [_to_expr(text, h, published) for h in _select(hits)]



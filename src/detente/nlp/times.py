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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from detente.doc import Doc, Precision, TimeExpr
from detente.lang import default_languages, primary_code

_APOS = "'’ʼ`"
_APOS_RE = "['’ʼ`]"
_WS = re.compile(r"\s+")
_B = r"(?<!\w)"  # word start
_E = r"(?!\w)"  # word end
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_DAY = r"\d{1,2}(?!\d)"
_DASH = r"\s*[-‐‑–—]\s*"
_DIGITS = re.compile(r"\d+")
_UNIT_PRECISION: dict[str, Precision] = {"day": "day", "week": "week", "month": "month", "year": "year"}


# --------------------------------------------------------------------------- data


def _key(form: str) -> str:
    """Normalize a form for dictionary lookup: lower case, one space, one apostrophe, no final dot."""
    out = _WS.sub(" ", form.strip().lower())
    for ch in _APOS:
        out = out.replace(ch, "'")
    return out.rstrip(".") if len(out) > 1 else out


def _form_re(form: str) -> str:
    """Return the regex of one word-list form (whitespace-, apostrophe- and abbreviation-tolerant)."""
    form = _WS.sub(" ", form.strip())
    dot = form.endswith(".") and len(form) > 1
    if dot:
        form = form[:-1]
    parts: list[str] = []
    for ch in form:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _APOS:
            parts.append(_APOS_RE)
        else:
            parts.append(re.escape(ch))
    return "".join(parts) + (r"\.?" if dot else "")


def _alt(forms: Iterable[str]) -> str | None:
    """Return a non-capturing alternation of ``forms``, longest first, or None when there are none."""
    uniq = sorted({_WS.sub(" ", f.strip()) for f in forms if f.strip()}, key=lambda f: (-len(f), f))
    if not uniq:
        return None
    return "(?:" + "|".join(_form_re(f) for f in uniq) + ")"


def _strs(value: Any, what: str) -> list[str]:
    """Return ``value`` as a list of strings; a YAML list of scalars is expected."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise TypeError(f"times.yaml: {what} must be a list, got {type(value).__name__}")
    out: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise TypeError(f"times.yaml: {what} holds {item!r}; quote it")
        out.append(str(item))
    return out


def _index_lists(value: Any, what: str) -> list[list[str]]:
    """Return a list of form lists (months, weekdays)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"times.yaml: {what} must be a list of lists")
    return [_strs(v, f"{what}[{i}]") for i, v in enumerate(value)]


def _offset_map(value: Any, what: str) -> dict[str, int]:
    """Return ``{form key: offset}`` from a YAML mapping ``offset: [forms]``."""
    out: dict[str, int] = {}
    if not value:
        return out
    if not isinstance(value, dict):
        raise TypeError(f"times.yaml: {what} must be a mapping")
    for off, forms in value.items():
        for form in _strs(forms, what):
            out[_key(form)] = int(off)
    return out


def _label_map(value: Any, what: str) -> dict[str, str]:
    """Return ``{form key: label}`` from a YAML mapping ``label: [forms]``."""
    out: dict[str, str] = {}
    if not value:
        return out
    if not isinstance(value, dict):
        raise TypeError(f"times.yaml: {what} must be a mapping")
    for label, forms in value.items():
        for form in _strs(forms, what):
            out[_key(form)] = str(label)
    return out


@dataclass(frozen=True, slots=True)
class _Rules:
    """The compiled time-expression rules of one language."""

    lang: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_mods: dict[str, str]
    weekday_prep_required: bool
    relative_days: dict[str, int]
    periods: dict[str, tuple[str, int]]
    year_rel: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, str]
    ago_markers: dict[str, int]
    vague: dict[str, str | None]


def _load_yaml(lang: str) -> dict[str, Any]:
    """Return the parsed ``times.yaml`` of ``lang``, or an empty mapping when there is none."""
    language = default_languages().find(lang)
    return language.data("times") if language is not None else {}


def _build(lang: str, data: dict[str, Any]) -> _Rules:
    """Compile the word lists of one language into patterns and lookup tables."""
    pats: list[tuple[str, str]] = []

    # generic numeric forms, valid in every language
    pats.append(("iso", rf"(?<![\w.\-/])(?P<y>{_YEAR})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})(?!\d)"))
    pats.append(("dmy", rf"(?<![\w.,/])(?P<d>{_DAY})\.(?P<mo>\d{{1,2}})\.(?P<y>{_YEAR})(?!\.\d)"))

    month_lists = _index_lists(data.get("months"), "months")
    month_in_lists = _index_lists(data.get("month_in"), "month_in")
    months: dict[str, int] = {}
    for i, forms in enumerate(month_lists, 1):
        for f in forms:
            months[_key(f)] = i
    month_in: dict[str, int] = {}
    for i, forms in enumerate(month_in_lists, 1):
        for f in forms:
            month_in[_key(f)] = i
    all_months = {**months, **month_in}

    m_forms = _alt(f for forms in month_lists for f in forms)
    m_in_forms = _alt(f for forms in month_in_lists for f in forms)
    m_all_forms = _alt([f for forms in month_lists for f in forms] + [f for fs in month_in_lists for f in fs])
    m_suf = _alt(_strs(data.get("month_suffixes"), "month_suffixes"))
    suf = f"(?:{m_suf})?" if m_suf else ""

    def month(name: str, forms: str) -> str:
        return f"(?P<{name}>{forms}){suf}{_E}"

    d_suf_alt = _alt(_strs(data.get("day_suffixes"), "day_suffixes"))
    d_suf = f"(?:{d_suf_alt})?" if d_suf_alt else ""
    joiners = _alt(_strs(data.get("day_month_joiners"), "day_month_joiners"))
    join = f"(?:{joiners}\\s+)?" if joiners else ""
    r_starts = _alt(_strs(data.get("range_starts"), "range_starts"))
    r_joiners = _alt(_strs(data.get("range_joiners"), "range_joiners"))
    range_sep = _DASH if not r_joiners else f"(?:{_DASH}|\\s+{r_joiners}\\s+)"

    year_words = _alt(_strs(data.get("year_words"), "year_words"))
    y_suf_alt = _alt(_strs(data.get("year_suffixes"), "year_suffixes"))
    y_suf = f"(?:{y_suf_alt})?" if y_suf_alt else ""
    y_word_opt = f"(?:\\s*{year_words}{_E})?" if year_words else ""
    rel_tail_map = _offset_map(data.get("year_rel_tail"), "year_rel_tail")
    rel_head_map = _offset_map(data.get("year_rel_head"), "year_rel_head")
    rel_tail = _alt(rel_tail_map)
    rel_head = _alt(rel_head_map)
    head_words = _alt(_strs(data.get("year_head_words"), "year_head_words"))
    year_rel = {**rel_tail_map, **rel_head_map}

    tail_parts = [f",?\\s+(?P<y>{_YEAR}){y_suf}{y_word_opt}"]
    if rel_tail:
        tail_parts.append(f"\\s+(?P<trel>{rel_tail}){_E}")
    tail = "(?:" + "|".join(tail_parts) + ")"
    head_parts: list[str] = []
    if head_words:
        head_parts.append(f"(?P<hy>{_YEAR})\\s*{head_words}{_E}\\s+")
    if rel_head:
        head_parts.append(f"(?P<hrel>{rel_head}){_E}\\s+")
    head = "(?:" + "|".join(head_parts) + ")" if head_parts else ""

    if m_forms:
        day = f"{_DAY}{d_suf}"
        rs = f"(?:(?P<rs>{r_starts})\\s+)?" if r_starts else ""
        dm = (
            f"(?<![\\w.,:/]){head + '?' if head else ''}{rs}(?P<d1>{day})"
            f"(?:(?:(?:\\s+|-){month('m1', m_forms)})?{range_sep}(?P<d2>{day}))?"
            f"(?:\\s+|-){join}{month('m2', m_forms)}{tail}?"
        )
        pats.append(("dm", dm))
        if data.get("month_first"):
            md = (
                f"{_B}{rs}{month('m2', m_forms)}\\s+(?P<d1>{day})(?:{range_sep}(?P<d2>{day}))?{_E}{tail}?"
            )
            pats.append(("dm", md))

    preps = _alt(_strs(data.get("month_preps"), "month_preps"))
    parts = _alt(_strs(data.get("month_parts"), "month_parts"))
    if m_all_forms:
        pre_alts = [p for p in (preps, parts) if p]
        pre = f"(?:(?P<pp>{'|'.join(pre_alts)})(?:\\s+|-))?" if pre_alts else ""
        pats.append(("my", f"{_B}{pre}{month('m', m_all_forms)}{tail}"))
        if head:
            pats.append(("my", f"{_B}{head}{month('m', m_all_forms)}"))
    if m_in_forms:
        if preps:
            pats.append(("m", f"{_B}(?P<pp>{preps})\\s+(?P<m>{m_in_forms}){_E}"))
        else:
            pats.append(("m", f"{_B}(?P<m>{m_in_forms}){_E}"))
    if parts and m_forms:
        pats.append(("m", f"{_B}(?P<pp>{parts})(?:\\s+|-){month('m', m_forms)}"))

    year_preps = _alt(_strs(data.get("year_preps"), "year_preps"))
    if year_words:
        ypre = f"(?:{year_preps}\\s+)?" if year_preps else ""
        pats.append(("y", f"(?<![\\w.,]){ypre}(?P<y>{_YEAR}){y_suf}\\s*{year_words}{_E}"))
    year_bare = _alt(_strs(data.get("year_bare_preps"), "year_bare_preps"))
    if year_bare:
        pats.append(("y", f"{_B}{year_bare}\\s+(?P<y>{_YEAR})(?!{_DASH}\\d|[.,:/]\\d){_E}"))

    wd_lists = _index_lists(data.get("weekdays"), "weekdays")
    weekdays: dict[str, int] = {}
    for i, forms in enumerate(wd_lists):
        for f in forms:
            weekdays[_key(f)] = i
    wd_forms = _alt(f for forms in wd_lists for f in forms)
    wd_preps_l = _strs(data.get("weekday_preps"), "weekday_preps")
    wd_mods = _label_map(data.get("weekday_mods"), "weekday_mods")
    if wd_forms:
        wp = _alt(wd_preps_l)
        wm = _alt(wd_mods)
        p = f"(?:(?P<pp>{wp})\\s+)?" if wp else ""
        mo = f"(?:(?P<mod>{wm})\\s+)?" if wm else ""
        pats.append(("wd", f"{_B}{p}{mo}(?P<wd>{wd_forms}){_E}"))

    rel_days = _offset_map(data.get("relative_days"), "relative_days")
    rd = _alt(rel_days)
    if rd:
        pats.append(("rd", f"{_B}(?P<w>{rd}){_E}"))

    periods: dict[str, tuple[str, int]] = {}
    for unit, offs in (data.get("periods") or {}).items():
        for form, off in _offset_map(offs, f"periods.{unit}").items():
            periods[form] = (str(unit), off)
    per = _alt(periods)
    if per:
        pats.append(("per", f"{_B}(?P<w>{per}){_E}"))

    ago = data.get("ago") or {}
    numbers = _offset_map(ago.get("numbers"), "ago.numbers")
    units = _label_map(ago.get("units"), "ago.units")
    bare_units = [_key(f) for f in _strs(ago.get("bare_units"), "ago.bare_units")]
    markers: dict[str, int] = {}
    for name, sign in (("past_after", -1), ("past_before", -1), ("future_before", 1), ("future_after", 1)):
        for f in _strs(ago.get(name), f"ago.{name}"):
            markers[_key(f)] = sign
    num_words = _alt(numbers)
    unit_alt = _alt(units)
    if unit_alt:
        num = f"(?:\\d{{1,3}}(?!\\d)|{num_words}{_E})" if num_words else r"\d{1,3}(?!\d)"
        bare = _alt(bare_units)
        qty = f"(?:(?P<n>{num})\\s+(?P<u>{unit_alt})" + (f"|(?P<bu>{bare})" if bare else "") + ")"
        before = _alt(_strs(ago.get("past_before"), "") + _strs(ago.get("future_before"), ""))
        after = _alt(_strs(ago.get("past_after"), "") + _strs(ago.get("future_after"), ""))
        if after:
            pats.append(("ago", f"(?<![\\w.,]){qty}\\s+(?P<mk>{after}){_E}"))
        if before:
            pats.append(("ago", f"{_B}(?P<mk>{before})\\s+{qty}{_E}"))

    vague: dict[str, str | None] = {}
    for rel, forms in (data.get("vague") or {}).items():
        for f in _strs(forms, "vague"):
            vague[_key(f)] = None if rel in (None, "unknown") else str(rel)
    va = _alt(vague)
    if va:
        pats.append(("vague", f"{_B}(?P<w>{va}){_E}"))

    compiled = tuple((kind, re.compile(src, re.IGNORECASE)) for kind, src in pats)
    return _Rules(
        lang=lang,
        patterns=compiled,
        months=all_months,
        weekdays=weekdays,
        weekday_mods=wd_mods,
        weekday_prep_required=bool(data.get("weekday_prep_required", False)),
        relative_days=rel_days,
        periods=periods,
        year_rel=year_rel,
        numbers=numbers,
        units=units,
        ago_markers=markers,
        vague=vague,
    )


@functools.lru_cache(maxsize=32)
def _rules(lang: str) -> _Rules:
    """Return the compiled rules of ``lang``, built once; an unknown language gets numeric dates only."""
    return _build(lang, _load_yaml(lang) if lang else {})


# --------------------------------------------------------------------------- calendar helpers


def _shift_months(day: dt.date, n: int) -> dt.date:
    """Return the first day of the month ``n`` months after the month of ``day``."""
    idx = day.year * 12 + day.month - 1 + n
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """Return the date, or None when it does not exist."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_day(month: int, day: int, pub: dt.date) -> dt.date | None:
    """Return the ``day``.``month`` nearest to ``pub`` (years around it; ties go to the past)."""
    best: dt.date | None = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        cand = _safe_date(year, month, day)
        if cand is None:
            continue
        if best is None or abs((cand - pub).days) < abs((best - pub).days):
            best = cand
    return best


def _nearest_month(month: int, pub: dt.date) -> dt.date:
    """Return the first day of the ``month`` nearest to the month of ``pub`` (ties go to the past)."""
    here = pub.year * 12 + pub.month - 1
    years = (pub.year - 1, pub.year, pub.year + 1)
    best = min((abs(y * 12 + month - 1 - here), y * 12 + month - 1 - here, y) for y in years)
    return dt.date(best[2], month, 1)


def _bounds(day: dt.date, precision: Precision) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the period of ``precision`` that holds ``day``."""
    if precision == "day":
        return day, day
    if precision == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if precision == "month":
        first = day.replace(day=1)
        return first, _shift_months(first, 1) - dt.timedelta(days=1)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def _format(day: dt.date, precision: Precision) -> str:
    """Return the ISO value of the period of ``precision`` that holds ``day``."""
    if precision == "day":
        return day.isoformat()
    if precision == "week":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _relation(day: dt.date, precision: Precision, pub: dt.date) -> str:
    """Return "past", "present" or "future": where the period lies relative to ``pub``."""
    first, last = _bounds(day, precision)
    if last < pub:
        return "past"
    if first > pub:
        return "future"
    return "present"


def _sign_relation(offset: int) -> str:
    """Return the relation implied by the sign of a relative offset."""
    return "past" if offset < 0 else "future" if offset > 0 else "present"


# --------------------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Hit:
    """A resolved match before overlap removal."""

    start: int
    end: int
    day: dt.date | None
    precision: Precision | None
    hint: str | None = None  # relation when the value cannot be computed
    vague: bool = False


def _explicit_year(m: re.Match[str], rules: _Rules, pub: dt.date | None) -> tuple[int | None, bool]:
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


def _year_hint(m: re.Match[str], rules: _Rules) -> str | None:
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


def _resolve(kind: str, m: re.Match[str], rules: _Rules, pub: dt.date | None) -> _Hit | None:
    """Resolve one regex match of ``kind`` into a hit, or None when it is not a time expression."""
    start, end = m.start(), m.end()
    gd = m.groupdict()

    if kind in ("iso", "dmy"):
        day = _safe_date(int(gd["y"]), int(gd["mo"]), int(gd["d"]))
        return None if day is None else _Hit(start, end, day, "day")

    if kind == "dm":
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

    if kind in ("my", "m"):
        mon = rules.months.get(_key(gd["m"]))
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

    if kind == "y":
        return _Hit(start, end, dt.date(int(gd["y"]), 1, 1), "year")

    if kind == "wd":
        target = rules.weekdays.get(_key(gd["wd"]))
        if target is None:
            return None
        mod = rules.weekday_mods.get(_key(gd["mod"])) if gd.get("mod") else None
        if rules.weekday_prep_required and not gd.get("pp") and mod is None:
            return None
        if pub is None:
            hint = {"past": "past", "future": "future"}.get(mod or "")
            return _Hit(start, end, None, "day", hint)
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

    if kind == "rd":
        off = rules.relative_days[_key(gd["w"])]
        if pub is None:
            return _Hit(start, end, None, "day", _sign_relation(off))
        return _Hit(start, end, pub + dt.timedelta(days=off), "day")

    if kind == "per":
        unit, off = rules.periods[_key(gd["w"])]
        return _offset_hit(start, end, unit, off, pub)

    if kind == "ago":
        sign = rules.ago_markers.get(_key(gd["mk"]), -1)
        if gd.get("bu"):
            unit, n = rules.units.get(_key(gd["bu"]), "day"), 1
        else:
            unit = rules.units.get(_key(gd["u"]), "day")
            raw = gd["n"]
            n = int(raw) if raw.isdigit() else rules.numbers.get(_key(raw), 1)
        return _offset_hit(start, end, unit, sign * n, pub)

    if kind == "vague":
        return _Hit(start, end, None, None, rules.vague.get(_key(gd["w"])), vague=True)
    return None


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


def _find(rules: _Rules, text: str, published: dt.date | None, start: int, end: int) -> list[TimeExpr]:
    """Run every pattern of ``rules`` over ``text[start:end]`` and resolve the matches."""
    hits: list[_Hit] = []
    for kind, pattern in rules.patterns:
        for m in pattern.finditer(text, start, end):
            hit = _resolve(kind, m, rules, published)
            if hit is not None:
                hits.append(hit)
    return [_to_expr(text, h, published) for h in _select(hits)]


# --------------------------------------------------------------------------- public API


def find_times(
    text: str, lang: str, published: dt.date | None, *, start: int = 0, end: int | None = None
) -> list[TimeExpr]:
    """Return the time expressions of ``text[start:end]``, resolved against ``published``.

    Offsets are into the full ``text``; the expressions do not overlap and are sorted by start.
    Relative expressions get ``value`` None when ``published`` is None; vague words ("позже",
    "recently") always do, with ``relation`` "before" or "after" and ``vague`` True.
    """
    stop = len(text) if end is None else min(end, len(text))
    return _find(_rules(primary_code(lang)), text, published, max(start, 0), stop)


class TimeTagger:
    """Pipeline stage that fills :attr:`Doc.times`, per sentence language when sentences are known."""

    name = "times"
    requires: tuple[str, ...] = ()
    assigns = ("times",)

    def __init__(self, langs: Iterable[str] | None = None) -> None:
        """Load and compile the data of ``langs`` (by default every registered language) once."""
        codes = default_languages().codes if langs is None else langs
        self._rules: dict[str, _Rules] = {lang: _rules(primary_code(lang)) for lang in codes}

    def _get(self, lang: str) -> _Rules:
        """Return the rules of ``lang``, loading a language not given at construction on first use."""
        code = primary_code(lang)
        rules = self._rules.get(code)
        if rules is None:
            rules = self._rules[code] = _rules(code)
        return rules

    def __call__(self, doc: Doc) -> Doc:
        """Find and resolve the time expressions of ``doc`` and store them in ``doc.times``."""
        spans = [(s.start, s.end, s.lang) for s in doc.sents] or [(0, len(doc.text), doc.lang)]
        times: list[TimeExpr] = []
        for start, end, lang in spans:
            times.extend(_find(self._get(lang), doc.text, doc.published, start, end))
        times.sort(key=lambda t: t.start)
        doc.times = times
        return doc

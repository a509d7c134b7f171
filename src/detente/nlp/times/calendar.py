"""Calendar arithmetic for resolving time expressions: nearest dates, period bounds, ISO values."""

from __future__ import annotations

import datetime as dt

from detente.doc import Precision


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



"""Dates: ISO values, the Julian calendar, and dates written out in Norwegian or English."""

from __future__ import annotations

import re
from datetime import date as Day

MONTHS = {
    # Norwegian Bokmål
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "desember": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10, "december": 12,
}
_ISO = re.compile(r"^(-?\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")
_NUMERIC = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\.?\s+(?:of\s+)?([A-Za-zæøåÆØÅ]+)\s+(\d{4})\b")
_MONTH_DAY = re.compile(r"\b([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})\b")
_MONTH_YEAR = re.compile(r"\b([A-Za-zæøåÆØÅ]+)\s+(\d{4})\b")
_YEAR = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")


def parse_iso(value: str) -> Day | tuple[int, ...] | None:
    """A full date as `date`, a year or year-month as a tuple, None when not valid ISO."""
    m = _ISO.match(value)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(3):
        try:
            return Day(year, int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if m.group(2):
        return (year, int(m.group(2))) if 1 <= int(m.group(2)) <= 12 else None
    return (year,)


def julian_to_gregorian(day: Day) -> Day:
    """Convert a Julian calendar date (given as a `date` with the Julian numbers) to the Gregorian date."""
    y, m, d = day.year, day.month, day.day
    a = (14 - m) // 12
    yy = y + 4800 - a
    mm = m + 12 * a - 3
    jdn = d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - 32083
    return Day.fromordinal(jdn - 1721425)


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")


def written_values(text: str) -> tuple[list[str], list[str], list[str]]:
    """The full dates, year-months and years a phrase writes out, as ISO strings."""
    full, months, years = [], [], []
    rest = text
    for m in _NUMERIC.finditer(text):
        full.append(_iso(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    rest = _NUMERIC.sub(" ", rest)
    for m in _DAY_MONTH.finditer(rest):
        month = MONTHS.get(m.group(2).lower())
        if month:
            full.append(_iso(int(m.group(3)), month, int(m.group(1))))
    for m in _MONTH_DAY.finditer(rest):
        month = MONTHS.get(m.group(1).lower())
        if month:
            full.append(_iso(int(m.group(3)), month, int(m.group(2))))
    for m in _MONTH_YEAR.finditer(rest):
        month = MONTHS.get(m.group(1).lower())
        if month:
            months.append(_iso(int(m.group(2)), month))
    years = [m.group(1) for m in _YEAR.finditer(rest)]
    return full, months, years


def check_written_date(written: str, values: list[str]) -> str | None:
    """None when the written phrase agrees with the attribute values, else what disagrees."""
    full, months, years = written_values(written)
    for value in full:
        try:
            Day.fromisoformat(value)
        except ValueError:
            return f"{value} is not a calendar day"
        if value not in values:
            return f"the text says {value}, the attributes say {' / '.join(values) or 'nothing'}"
    for value in months:
        if not any(v.startswith(value) for v in values):
            return f"the text says {value}, the attributes say {' / '.join(values) or 'nothing'}"
    for value in years:
        if not any(v.lstrip("-").startswith(value) for v in values):
            return f"the text says {value}, the attributes say {' / '.join(values) or 'nothing'}"
    return None

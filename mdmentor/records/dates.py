"""Dates as people write them, read back to the ISO date a record needs.

Only to suggest a fix: a record holds ``2026-06-01`` and nothing else. Dates written with
slashes, dashes or dots and the year last are read the UK way, day first (``01/06/2026``
is 1 June).
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_YEAR = r"(?P<year>\d{4}|\d{2})"

#: Each shape a date is often written in, day-first where the order is ambiguous.
_SHAPES = [
    re.compile(rf"{_WEEKDAY}(?P<day>\d{{1,2}})\s*([/.-])\s*(?P<month>\d{{1,2}})\s*\2\s*{_YEAR}"),
    re.compile(r"(?P<year>\d{4})\s*([/.-])\s*(?P<month>\d{1,2})\s*\2\s*(?P<day>\d{1,2})"),
    re.compile(rf"{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"),
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
]


def iso_date(text: str) -> str | None:
    """The ISO date (``2026-06-01``) that ``text`` most likely means, if it is a date."""
    cleaned = text.strip().lower()
    for shape in _SHAPES:
        found = shape.fullmatch(cleaned)
        if found is None:
            continue
        month = found["month"]
        number = int(month) if month.isdigit() else _MONTHS.get(month)
        year = int(found["year"])
        if number is None:
            return None
        try:
            return date(year + 2000 if year < 100 else year, number, int(found["day"])).isoformat()
        except ValueError:  # no such day: 31/02/2026
            return None
    return None

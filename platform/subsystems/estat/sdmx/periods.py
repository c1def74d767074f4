"""e-Stat's time codes as SDMX time periods, and the spans startPeriod/endPeriod compare.

e-Stat writes a period as ten digits: the year, two digits of kind (00 calendar, 10 fiscal year)
and four of months: 2020000000 the year 2020, 2020000303 March 2020, 2020000103 the first quarter,
2020100000 fiscal year 2020 (SDMX's reporting year, A1). A code that is none of these stays as it is."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_QUARTERS = {"0103": "Q1", "0406": "Q2", "0709": "Q3", "1012": "Q4"}
_HALVES = {"0106": "S1", "0712": "S2"}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-S([12])|-A1)?$")


def period(code: str) -> str:
    """The SDMX period of an e-Stat time code."""
    if len(code) == 10 and code.isdigit():
        year, kind, months = code[:4], code[4:6], code[6:]
        if kind == "00" and months == "0000":
            return year
        if kind == "10" and months == "0000":
            return f"{year}-A1"
        if kind == "00" and months[:2] == months[2:] and 1 <= int(months[:2]) <= 12:
            return f"{year}-{months[:2]}"
        if kind == "00" and months in _QUARTERS:
            return f"{year}-{_QUARTERS[months]}"
        if kind == "00" and months in _HALVES:
            return f"{year}-{_HALVES[months]}"
    if len(code) == 6 and code.isdigit() and 1 <= int(code[4:]) <= 12:
        return f"{code[:4]}-{code[4:]}"
    return code


def span(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of an SDMX period (a fiscal year runs April to March), or None."""
    m = _PERIOD.fullmatch(value)
    if m is None:
        day = _day(value)
        return (day, day) if day else None
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if m.group(3):
        q = int(m.group(3))
        last = 3 * q
        return dt.date(year, last - 2, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
    if m.group(4):
        return (
            (dt.date(year, 1, 1), dt.date(year, 6, 30))
            if m.group(4) == "1"
            else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        )
    if value.endswith("-A1"):
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def within(value: str, start: tuple[dt.date, dt.date] | None, end: tuple[dt.date, dt.date] | None) -> bool:
    """Whether a period overlaps [start of `start`, end of `end`] (either bound may be open)."""
    if start is None and end is None:
        return True
    s = span(value)
    if s is None:
        return False
    return (start is None or s[1] >= start[0]) and (end is None or s[0] <= end[1])

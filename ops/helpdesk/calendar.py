"""Helpdesk hours and business time (GOV-11, 約款 第3 5(1)②).

Phone: Monday to Friday 9:00-20:00 JST, except national holidays (祝祭日). The holidays come from
the maintained `holidays` package (holidays.Japan: fixed and moving holidays, substitute holidays
振替休日 and citizens' holidays 国民の休日), never from a list kept here. E-mail: 24 hours.

Business time, by which the service targets are measured, runs only inside those phone hours on
business days: one business hour is an hour of it, one business day is its 11 hours (9:00-20:00).
"""

from __future__ import annotations

import datetime as dt

import holidays

from govstat.platform.clock import JST

OPENS, CLOSES = dt.time(9, 0), dt.time(20, 0)
BUSINESS_DAY_MINUTES = 11 * 60

_JAPAN = holidays.country_holidays("JP")  # years are filled in on first use


def local(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no place in time; give its time zone")
    return at.astimezone(JST)


def holiday_name(day: dt.date) -> str | None:
    return _JAPAN.get(day)


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _JAPAN


def phone_open(at: dt.datetime) -> bool:
    """Is the phone line staffed at `at` (Mon-Fri 9:00-20:00 JST, not a national holiday)?"""
    t = local(at)
    return is_business_day(t.date()) and OPENS <= t.time() < CLOSES


def _window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(day, OPENS, JST), dt.datetime.combine(day, CLOSES, JST)


def business_seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of business time from `start` to `end` (0 if end is not after start)."""
    a, b = local(start), local(end)
    if b <= a:
        return 0
    total, day = 0.0, a.date()
    while day <= b.date():
        if is_business_day(day):
            opens, closes = _window(day)
            lo, hi = max(opens, a), min(closes, b)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return int(total)


def add_business_minutes(start: dt.datetime, minutes: int) -> dt.datetime:
    """The instant `minutes` of business time after `start` (the clock starts at the next opening)."""
    remaining = dt.timedelta(minutes=minutes)
    t = local(start)
    day = t.date()
    while True:
        if is_business_day(day):
            opens, closes = _window(day)
            lo = max(opens, t)
            if lo < closes:
                if remaining <= closes - lo:
                    return (lo + remaining).astimezone(dt.UTC)
                remaining -= closes - lo
        day += dt.timedelta(days=1)
        t = dt.datetime.combine(day, dt.time(0), JST)

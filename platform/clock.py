"""govstat's business clock: dates that decide something (a subscription in force, a contract's day,
the codes valid "today") are dates in Japan, wherever the server runs and whatever its TZ says.

New code asks here; `date.today()` is the server's local date and is never a business date."""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")  # Japan keeps no daylight saving time


def now() -> dt.datetime:
    """The current instant (UTC). What the public sees is decided by PostgreSQL's now() in the
    row-level security policies; Python asks here for the same question (is it due yet?)."""
    return dt.datetime.now(dt.UTC)


def now_jst() -> dt.datetime:
    return dt.datetime.now(JST)


def today_jst() -> dt.date:
    return now_jst().date()

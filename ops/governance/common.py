"""Small helpers shared by the governance records."""

from __future__ import annotations

import datetime as dt

from govstat.ops.helpdesk.calendar import JST
from govstat.platform.errors import InvalidInput


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().astimezone(JST).date()


def fiscal_year(day: dt.date) -> int:
    """年度: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def aware(field: str, value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise InvalidInput.field(field, "タイムゾーンを付けてください / give the time zone, e.g. +09:00")
    return value

"""Fiscal years (年度: April to March) in Japan Standard Time."""

from __future__ import annotations

import datetime as dt

from govstat.platform.clock import JST
from govstat.platform.errors import InvalidInput

FY_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def fiscal_year_of(at: dt.datetime | dt.date) -> int:
    day = at.astimezone(JST).date() if isinstance(at, dt.datetime) else at
    return day.year if day.month >= 4 else day.year - 1


def current_fiscal_year() -> int:
    return fiscal_year_of(now())


def check_fy(fy: int) -> int:
    if not 2000 <= fy <= 2100:
        raise InvalidInput.field("fy", "年度は2000〜2100 / the fiscal year must be 2000-2100")
    return fy


def bounds(fy: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 April 00:00 JST, next 1 April 00:00 JST)."""
    check_fy(fy)
    return dt.datetime(fy, 4, 1, tzinfo=JST), dt.datetime(fy + 1, 4, 1, tzinfo=JST)


def month_year(fy: int, month: int) -> int:
    """The calendar year of calendar month `month` (1-12) inside fiscal year `fy`."""
    return fy if month >= 4 else fy + 1


def months(fy: int) -> list[str]:
    """The twelve months of the year as 'YYYY-MM', April first."""
    return [f"{month_year(fy, m):04d}-{m:02d}" for m in FY_MONTHS]


def month_label(fy: int, month: int) -> str:
    return f"{month_year(fy, month):04d}-{month:02d}"


def era(fy: int) -> str:
    """令和N年度 (Reiwa 1 = 2019)."""
    return f"令和{fy - 2018}年度" if fy >= 2019 else f"平成{fy - 1988}年度"

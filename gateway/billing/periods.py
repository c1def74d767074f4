"""Billing periods: calendar months in Japan time, fiscal years April–March, the grace period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from govstat.platform.clock import JST
from govstat.platform.errors import InvalidInput

# Asia/Tokyo. A fixed offset is exact (Japan keeps no daylight saving time) and needs no tz database.
# Usage events may arrive late (a broker outage delays them, never loses them): a month's invoice
# stays a draft until this long after the month ends, then it is finalised.
GRACE = dt.timedelta(days=3)
PATTERN = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        m = PATTERN.match(text or "")
        if not m:
            raise InvalidInput.field(field, f"YYYY-MM 形式で指定してください / expected YYYY-MM, got {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, moment: dt.datetime) -> Period:
        local = moment.astimezone(JST)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=JST)

    @property
    def ends_at(self) -> dt.datetime:
        """The first instant after the period (midnight JST on the 1st of the next month)."""
        return self.next().starts_at

    @property
    def finalises_at(self) -> dt.datetime:
        return self.ends_at + GRACE

    @property
    def fiscal_year(self) -> int:
        """The Japanese fiscal year (年度) runs April to March and is named by its April."""
        return self.year if self.month >= 4 else self.year - 1

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月 / {self.first_day:%b %Y}"

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def back(self, months: int) -> Period:
        p = self
        for _ in range(months):
            p = p.previous()
        return p


def monthly_share(annual_fee_yen: int, month: int) -> int:
    """One twelfth of an annual fee, in whole yen; March takes the remainder so the twelve sum exactly."""
    share = annual_fee_yen // 12
    return annual_fee_yen - 11 * share if month == 3 else share


def jst_day(moment: dt.datetime) -> dt.date:
    """The day in Japan on which something happened (a late event still lands on its own day)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JST).date()


def parse_now(text: str | None) -> dt.datetime:
    """`--now` for runs and tests: an ISO date or datetime; without an offset it is Japan time."""
    if not text:
        return dt.datetime.now(JST)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput.field(
            "now", f"ISO 8601 の日時で指定してください / expected an ISO datetime, got {text!r}"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=JST)


def previous_period(now: dt.datetime) -> Period:
    return Period.containing(now).previous()

"""SLA figures from summed counters: availability, latency percentiles, error budget.

availability      = (calls - errors) / calls              (errors: status >= 500 or no answer)
latency_ok        = (answered - slow) / answered          (answered = calls - errors)
error_budget_left = 1 - errors / ((1 - target) x calls)
p50/p95/p99       = percentiles of the summed latency histogram (answered calls)

The gateway's SLA read interface for the other parts (docs/decisions/0010) is SQL: operations
cannot import the gateway, so its reports read the views in `VIEWS` (gateway_0004_sla_views.py),
never sla_minute or slo.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import msgspec

from govstat.gateway.sla import histogram
from govstat.gateway.sla.burn import error_budget_left
from govstat.gateway.sla.slo import Slo
from govstat.platform.clock import JST
from govstat.platform.errors import InvalidInput

READS_FOR_OTHERS = True
VIEWS = (
    "sla_calls",  # module_key, tenant_key, minute, source, calls, errors, slow
    "slo_target",  # module_key, availability_target, latency_threshold_ms, latency_target
)

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class Figures(msgspec.Struct, kw_only=True):
    calls: int = 0
    errors: int = 0
    slow: int = 0
    availability: float | None = None  # %; None: no calls
    latency_ok: float | None = None  # % of answered calls at or under the threshold
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    error_budget_left: float | None = None  # 1 untouched, 0 spent, < 0 overspent
    availability_met: bool | None = None
    latency_met: bool | None = None


def figures(calls: int, errors: int, slow: int, buckets: Sequence[int], slo: Slo) -> Figures:
    if calls <= 0:
        return Figures()
    answered = calls - errors
    availability = 100.0 * answered / calls
    latency_ok = 100.0 * (answered - slow) / answered if answered else None
    return Figures(
        calls=calls,
        errors=errors,
        slow=slow,
        availability=_round(availability, 6),
        latency_ok=_round(latency_ok, 6),
        p50_ms=_round(histogram.percentile(buckets, 0.50)),
        p95_ms=_round(histogram.percentile(buckets, 0.95)),
        p99_ms=_round(histogram.percentile(buckets, 0.99)),
        error_budget_left=_round(error_budget_left(calls, errors, slo.availability_target), 6),
        availability_met=availability >= slo.availability_target,
        latency_met=None if latency_ok is None else latency_ok >= slo.latency_target,
    )


def _round(value: float | None, digits: int = 3) -> float | None:
    """Figures are ratios of integers: more digits than this are float noise, not information."""
    return None if value is None else round(value, digits)


def parse_period(period: str | None, *, today: dt.date | None = None) -> str:
    """'YYYY-MM' (a month in Japan time); the current month when empty."""
    if not period:
        today = today or dt.datetime.now(JST).date()
        return f"{today.year:04d}-{today.month:02d}"
    if not PERIOD.match(period):
        raise InvalidInput.field("period", "YYYY-MM の形式で指定してください / use the form YYYY-MM")
    return period


def period_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """[first instant, first instant of the next month) in JST."""
    year, month = (int(x) for x in parse_period(period).split("-"))
    start = dt.datetime(year, month, 1, tzinfo=JST)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=JST)
    return start, end


def days_of(period: str) -> list[dt.date]:
    start, end = period_bounds(period)
    return [start.date() + dt.timedelta(days=i) for i in range((end.date() - start.date()).days)]

"""Counting calls and errors over the burn-rate windows, from sla_minute.

A window of W minutes at time `at` holds the minute buckets that start in
[at - W, at). At a wall-clock `at` (12:34:40) that is 12:30 to 12:34, the
current partial minute included, so fresh failures count at once; at a
minute-aligned `at` it is exactly the W whole minutes before it.
"""

from __future__ import annotations

import datetime as dt

from govstat.gateway.sla.burn import WINDOWS, Counts
from govstat.gateway.sla.rows import WindowCounts
from govstat.platform.db.uow import UnitOfWork


def _per_window(column: str) -> str:
    """ARRAY[sum over the 5m window, over 30m, ...]: one element per window, in the order of WINDOWS."""
    return (
        "ARRAY["
        + ", ".join(
            f"coalesce(sum({column}) FILTER (WHERE minute >= $1::timestamptz - make_interval(mins => {m})), 0)::bigint"
            for m in WINDOWS.values()
        )
        + f"] AS {column}"
    )


SQL = f"""
SELECT module_key,
  {_per_window("calls")},
  {_per_window("errors")}
FROM sla_minute
WHERE minute >= $1::timestamptz - make_interval(mins => {max(WINDOWS.values())}) AND minute < $1::timestamptz
GROUP BY module_key
"""


async def window_counts(uow: UnitOfWork, at: dt.datetime) -> dict[str, dict[str, Counts]]:
    """{module: {window: Counts}} over every tenant and both sources (needs a cross-tenant scope)."""
    return {
        r.module_key: {k: Counts(calls=c, errors=e) for k, c, e in zip(WINDOWS, r.calls, r.errors, strict=True)}
        for r in await uow.rows(WindowCounts, SQL, at)
    }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

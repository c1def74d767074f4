"""Counting calls and errors over the burn-rate windows, from sla_minute.

A window of W minutes at time `at` holds the minute buckets that start in
[at - W, at). At a wall-clock `at` (12:34:40) that is 12:30 to 12:34, the
current partial minute included, so fresh failures count at once; at a
minute-aligned `at` it is exactly the W whole minutes before it.
"""

from __future__ import annotations

import datetime as dt

from govstat.gateway.sla.burn import WINDOWS, Counts
from govstat.platform.db.uow import UnitOfWork

_COLUMNS = ",\n  ".join(
    f"coalesce(sum(calls) FILTER (WHERE minute >= $1::timestamptz - make_interval(mins => {m})), 0)::bigint AS calls_{k},"
    f" coalesce(sum(errors) FILTER (WHERE minute >= $1::timestamptz - make_interval(mins => {m})), 0)::bigint AS errors_{k}"
    for k, m in WINDOWS.items()
)

SQL = f"""
SELECT module_key,
  {_COLUMNS}
FROM sla_minute
WHERE minute >= $1::timestamptz - make_interval(mins => {max(WINDOWS.values())}) AND minute < $1::timestamptz
GROUP BY module_key
"""


async def window_counts(uow: UnitOfWork, at: dt.datetime) -> dict[str, dict[str, Counts]]:
    """{module: {window: Counts}} over every tenant and both sources (needs a cross-tenant scope)."""
    rows = await uow.fetch(SQL, at)
    return {r["module_key"]: {k: Counts(calls=r[f"calls_{k}"], errors=r[f"errors_{k}"]) for k in WINDOWS} for r in rows}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

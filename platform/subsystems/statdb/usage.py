"""Usage figures per table (STATDB-3): views, downloads and API rows per day (JST).

Counted from this module's own counter table, not from the gateway's usage events: those are
per tenant and operation (who called), while these figures are per table (what was used), and
belong to the table's owner whoever the caller was. Only published tables count (the owner's
test-mode previews do not). A reader may not write another tenant's rows, so the counter is
added in a short platform-scoped transaction once the read has committed; the public e-Stat API and portal
call `count()` the same way. A very hot table would want Redis counters flushed by a job."""

from __future__ import annotations

import logging
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb.rows import TableUsage, UsageDay, UsageTotals

log = logging.getLogger("govstat.statdb")
DAY = "(now() AT TIME ZONE 'Asia/Tokyo')::date"
UPSERT = f"""
INSERT INTO stat_table_usage (table_id, tenant_id, day, views, downloads, api_rows)
VALUES ($1, $2, {DAY}, $3, $4, $5)
ON CONFLICT (table_id, day) DO UPDATE SET views = stat_table_usage.views + EXCLUDED.views,
  downloads = stat_table_usage.downloads + EXCLUDED.downloads, api_rows = stat_table_usage.api_rows + EXCLUDED.api_rows
"""


def count(
    uow: UnitOfWork,
    table_id: int,
    tenant_id: uuid.UUID,
    status: str,
    *,
    views: int = 0,
    downloads: int = 0,
    api_rows: int = 0,
) -> None:
    """Count once the reader's transaction has committed (a unit of work never nests)."""
    if status == "published" and (views or downloads or api_rows):
        uow.after_commit(lambda: _add(table_id, tenant_id, views, downloads, api_rows))


async def _add(table_id: int, tenant_id: uuid.UUID, views: int, downloads: int, api_rows: int) -> None:
    try:
        async with UnitOfWork(Scope.system("statdb.usage")) as uow:
            await uow.execute(UPSERT, table_id, tenant_id, views, downloads, api_rows)
    except Exception:
        log.warning("usage count failed for table %s", table_id, exc_info=True)


async def figures(uow: UnitOfWork, table_id: int, stats_data_id: str) -> TableUsage:
    days = await uow.rows(
        UsageDay,
        "SELECT day, views, downloads, api_rows FROM stat_table_usage WHERE table_id = $1 ORDER BY day",
        table_id,
    )
    totals = UsageTotals(
        views=sum(d.views for d in days),
        downloads=sum(d.downloads for d in days),
        api_rows=sum(d.api_rows for d in days),
    )
    return TableUsage(stats_data_id=stats_data_id, totals=totals, days=days)

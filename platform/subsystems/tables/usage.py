"""Usage figures per table file (TABLES-3): views and downloads per day (JST), of published files.

Like statdb's figures (see statdb/usage.py for why): this module's own per-file counter, added in
a short platform-scoped transaction (after the request commits) by the routes that show or hand out a published file; the
public portal calls `count()` the same way."""

from __future__ import annotations

import logging
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.tables.rows import FileUsage, UsageDay, UsageTotals

log = logging.getLogger("govstat.tables")
UPSERT = """
INSERT INTO table_file_usage (file_id, tenant_id, day, views, downloads)
VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Tokyo')::date, $3, $4)
ON CONFLICT (file_id, day) DO UPDATE SET views = table_file_usage.views + EXCLUDED.views,
  downloads = table_file_usage.downloads + EXCLUDED.downloads
"""


def count(
    uow: UnitOfWork, file_id: uuid.UUID, tenant_id: uuid.UUID, status: str, *, views: int = 0, downloads: int = 0
) -> None:
    """Count once the reader's transaction has committed (a unit of work never nests)."""
    if status == "published" and (views or downloads):
        uow.after_commit(lambda: _add(file_id, tenant_id, views, downloads))


async def _add(file_id: uuid.UUID, tenant_id: uuid.UUID, views: int, downloads: int) -> None:
    try:
        async with UnitOfWork(Scope.system("tables.usage")) as uow:
            await uow.execute(UPSERT, file_id, tenant_id, views, downloads)
    except Exception:
        log.warning("usage count failed for file %s", file_id, exc_info=True)


async def figures(uow: UnitOfWork, file_id: uuid.UUID) -> FileUsage:
    days = await uow.rows(
        UsageDay, "SELECT day, views, downloads FROM table_file_usage WHERE file_id = $1 ORDER BY day", file_id
    )
    totals = UsageTotals(views=sum(d.views for d in days), downloads=sum(d.downloads for d in days))
    return FileUsage(file_id=file_id, totals=totals, days=days)

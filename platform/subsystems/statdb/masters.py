"""Government statistics (the shared master, TABLES-1) as seen by an agency: a tenant registers
tables only for statistics that its own agency (府省等) owns. The master is tenants'; it is read
through the directory (govstat.platform.directory)."""

from __future__ import annotations

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork


async def ownership_problem(uow: UnitOfWork, gov_stat_code: str) -> str | None:
    """None when the scope's tenant may register tables for the statistic, else the reason."""
    found = await directory.ownership(uow, gov_stat_code)
    if found is None:
        return directory.unknown_statistic(gov_stat_code)
    if uow.scope.tenant_id is None:
        return "利用機関として操作してください / only an agency (tenant) registers tables"
    return found.refusal()

"""Government statistics (the shared master, TABLES-1) as seen by an agency: a tenant registers
tables only for statistics that its own agency (府省等) owns."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork

SQL = """
SELECT g.code, g.name_ja, g.agency_code, a.name_ja AS agency_name,
       (SELECT t.agency_code FROM tenant t WHERE t.id = govstat_scope_tenant()) AS tenant_agency
FROM gov_statistic g JOIN agency a ON a.code = g.agency_code WHERE g.code = $1
"""


async def ownership_problem(uow: UnitOfWork, gov_stat_code: str) -> str | None:
    """None when the scope's tenant may register tables for the statistic, else the reason."""
    row = await uow.fetchrow(SQL, gov_stat_code)
    if row is None:
        return f"政府統計コード {gov_stat_code} は登録されていません / no government statistic {gov_stat_code}"
    if uow.scope.tenant_id is None:
        return "利用機関として操作してください / only an agency (tenant) registers tables"
    if row["tenant_agency"] != row["agency_code"]:
        return (
            f"{row['name_ja']}（{gov_stat_code}）は{row['agency_name']}の統計です"
            f" / statistic {gov_stat_code} belongs to agency {row['agency_code']}, not yours"
        )
    return None


async def own_statistics(uow: UnitOfWork) -> list[dict]:
    """The government statistics of the scope tenant's agency (for forms and the agency API)."""
    rows = await uow.fetch(
        "SELECT g.code, g.name_ja, g.cycle FROM gov_statistic g JOIN tenant t"
        " ON t.agency_code = g.agency_code WHERE t.id = govstat_scope_tenant() ORDER BY g.code"
    )
    return [dict(r) for r in rows]

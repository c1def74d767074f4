"""Read queries of the tables module."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb import published

COLUMNS = (
    "f.id, f.tenant_id, f.gov_stat_code, g.name_ja AS gov_stat_name, f.provision_class_id,"
    " c.name_ja AS provision_class_name, f.table_no, f.title, f.survey_date, f.notes, f.filename, f.format,"
    " f.sha256, f.size_bytes, f.has_params, f.status, f.publish_at, f.finalised_at, f.published_at, f.created_by,"
    " f.created_at, f.updated_at"
)


async def list_files(
    uow: UnitOfWork, *, status: str | None, gov_stat_code: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    where, args = ["true" if uow.scope.cross_tenant else "f.tenant_id = govstat_scope_tenant()"], []
    if status:
        args.append(status)
        where.append(f"f.status = ${len(args)}")
    if gov_stat_code:
        args.append(gov_stat_code)
        where.append(f"f.gov_stat_code = ${len(args)}")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM table_file f WHERE {sql_where}", *args)
    rows = await uow.fetch(
        f"SELECT {COLUMNS} FROM table_file f JOIN directory_statistic g ON g.code = f.gov_stat_code"
        f" LEFT JOIN provision_class c ON c.id = f.provision_class_id WHERE {sql_where}"
        f" ORDER BY f.created_at DESC, f.id LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    return total, [dict(r) for r in rows]


async def blob(uow: UnitOfWork, file_id: uuid.UUID, kind: str) -> bytes | None:
    return await uow.fetchval("SELECT content FROM table_file_blob WHERE file_id = $1 AND kind = $2", file_id, kind)


async def stats_data_id(uow: UnitOfWork, file_id: uuid.UUID) -> str | None:
    return await published.handed_over(uow, file_id)


def quoted(filename: str) -> str:
    return urllib.parse.quote(filename, safe="")

"""Read queries of the tables module."""

from __future__ import annotations

import urllib.parse
import uuid

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.statdb import published
from govstat.platform.subsystems.tables.rows import FileListItem

LIST_COLUMNS = columns(FileListItem, "f.", gov_stat_name="g.name_ja", provision_class_name="c.name_ja")


async def list_files(
    uow: UnitOfWork, *, status: str | None, gov_stat_code: str | None, limit: int, offset: int
) -> tuple[int, list[FileListItem]]:
    w = Where().scoped(uow, "f.").eq("f.status", status).eq("f.gov_stat_code", gov_stat_code)
    total = await uow.fetchval(f"SELECT count(*) FROM table_file f WHERE {w}", *w.args)
    rows = await uow.rows(
        FileListItem,
        f"SELECT {LIST_COLUMNS} FROM table_file f JOIN directory_statistic g ON g.code = f.gov_stat_code"
        f" LEFT JOIN provision_class c ON c.id = f.provision_class_id WHERE {w}"
        f" ORDER BY f.created_at DESC, f.id LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, rows


async def blob(uow: UnitOfWork, file_id: uuid.UUID, kind: str) -> bytes | None:
    return await uow.fetchval("SELECT content FROM table_file_blob WHERE file_id = $1 AND kind = $2", file_id, kind)


async def stats_data_id(uow: UnitOfWork, file_id: uuid.UUID) -> str | None:
    return await published.handed_over(uow, file_id)


def quoted(filename: str) -> str:
    return urllib.parse.quote(filename, safe="")

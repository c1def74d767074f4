"""Reading a table's versions (訂正・追加; migration statdb_0004), for its owner and the public alike
(row-level security shows the public the versions of published tables only).

Version v of a cell is its revision with the smallest version >= v (the value it held until the
correction that made the next version), else the current cell; cells appended later (seq beyond
version v's total) are not part of version v, nor are the class items a later version added."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from govstat.platform.db.rows import build_all
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb.published import Selection
from govstat.platform.subsystems.statdb.queries import of_table
from govstat.platform.subsystems.statdb.revisions.rows import Version, Withdrawal, decode_items
from govstat.platform.subsystems.statdb.rows import ValueRow
from govstat.platform.subsystems.statdb.tables import OBJ_IDS

READS_FOR_OTHERS = True  # the e-Stat API reads earlier versions through here
VIEWS: tuple[str, ...] = ()

COLUMNS = "version, kind, reason, changed_cells, added_cells, total_number, added_items, data_filename, created_by, created_at"


async def versions(uow: UnitOfWork, table_id: int) -> list[Version]:
    """The recorded versions, newest first (none until a table is first corrected or extended)."""
    records = await uow.fetch(
        f"SELECT {COLUMNS} FROM stat_table_version WHERE table_id = $1 ORDER BY version DESC", table_id
    )
    return [Version(**{**dict(r), "added_items": decode_items(r["added_items"])}) for r in records]


def original(total_number: int, created_at: dt.datetime, created_by: str = "", data_filename: str = "") -> Version:
    """Version 1 of a table never revised (nothing recorded yet)."""
    return Version(
        version=1,
        kind="original",
        reason="",
        changed_cells=0,
        added_cells=0,
        total_number=total_number,
        added_items={},
        data_filename=data_filename,
        created_by=created_by,
        created_at=created_at,
    )


def added_after(history: list[Version], version: int) -> dict[str, set[str]]:
    """Class items that versions after `version` added, per dimension."""
    out: dict[str, set[str]] = {}
    for v in history:
        if v.version > version:
            for obj, codes in v.added_items.items():
                out.setdefault(obj, set()).update(codes)
    return out


def source(table_id: int, version: int, total: int) -> str:
    """Version `version` of the table's observations, as a relation `o` with observation's columns."""
    tid = int(table_id)
    dims = ", ".join(f"o.{d}" for d in OBJ_IDS)
    kept = ", ".join(
        f"CASE WHEN r.seq IS NULL THEN o.{c} ELSE r.{c} END AS {c}" for c in ("unit", "value", "raw", "annotation")
    )
    return f"""(SELECT o.table_id, o.part, o.seq, {dims}, {kept}, o.indexed FROM observation o
  LEFT JOIN (SELECT DISTINCT ON (seq) seq, unit, value, raw, annotation FROM stat_cell_revision
             WHERE table_id = {tid} AND version >= {int(version)} ORDER BY seq, version) r ON r.seq = o.seq
  WHERE {of_table(tid, "o.")} AND o.seq <= {int(total)}) o"""


async def count_at(uow: UnitOfWork, sel: Selection, version: Version) -> int:
    n: int = await uow.fetchval(
        f"SELECT count(*) FROM {source(sel.table_id, version.version, version.total_number)} WHERE {sel.sql}",
        *sel.args,
    )
    return n


async def values_at(
    uow: UnitOfWork, sel: Selection, dims: list[str], version: Version, *, start: int, limit: int
) -> list[ValueRow]:
    """getStatsData's VALUE rows of an earlier version (as statdb.published.values reads the current one)."""
    cols = ", ".join(
        [
            *(f"o.{d}" for d in dims),
            "o.unit",
            "coalesce(o.value::text, o.raw) AS v",
            "o.raw IS NOT NULL AND o.value IS NULL AS special",
            "o.annotation",
        ]
    )
    src = source(sel.table_id, version.version, version.total_number)
    sql = f"SELECT {cols} FROM {src} WHERE {sel.sql} ORDER BY o.seq OFFSET {int(start) - 1} LIMIT {int(limit)}"
    records: list[Any] = await uow.fetch(sql, *sel.args)
    return build_all(ValueRow, cast("list[tuple[Any, ...]]", records), [*dims, "unit", "v", "special", "annotation"])


async def withdrawal(uow: UnitOfWork, stats_data_id: str) -> Withdrawal | None:
    """The table's withdrawal (取り下げ), if it was published and then withdrawn."""
    return await uow.row(
        Withdrawal,
        "SELECT stats_data_id, title, withdrawn_at, withdrawn_reason FROM stat_table"
        " WHERE stats_data_id = $1 AND withdrawn_at IS NOT NULL",
        stats_data_id,
    )


def changed_after(table_id: int, history: list[Version], after: dt.datetime) -> str | None:
    """A condition over `observation o`: the cells that versions made after `after` corrected or
    appended (SDMX updatedAfter). None: every cell counts (nothing recorded, or the table's first
    version is itself after `after`)."""
    later = [v.version for v in history if v.created_at > after]
    if not later or min(later) == 1:
        return None
    first = min(later)
    before = next((v for v in history if v.version == first - 1), None)
    if before is None:
        return None
    tid = int(table_id)
    return (
        f"(o.seq > {int(before.total_number)} OR o.seq IN (SELECT r.seq FROM stat_cell_revision r"
        f" WHERE r.table_id = {tid} AND r.version >= {int(first) - 1}))"
    )

"""Read queries of the statistical database: tables, classes, observations (filter by any
dimension, page by the stable order `seq`)."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from govstat.platform import directory
from govstat.platform.db.rows import build_all, columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.statdb.rows import ClassItem, ClassObj, Observation, StatTableRow, TableInfo
from govstat.platform.subsystems.statdb.tables import OBJ_IDS

# e-Stat API names of the code filters: cdTab, cdCat01 .. cdCat15, cdArea, cdTime
FILTER_PARAMS = {"cd" + o[0].upper() + o[1:]: o for o in OBJ_IDS}
TABLE_COLUMNS = columns(StatTableRow)


def of_table(table_id: int, alias: str = "") -> str:
    """The condition naming one table's observations, written with literals. `observation` is
    partitioned by `part` (docs/decisions/0012): 0 for the shared partition of small tables, the
    table's id for a large table's own. `part IN (0, id)` prunes every plan, generic or not, to
    at most those two partitions (with a parameter, the sixth run of a prepared statement would be
    planned over all of them)."""
    tid = int(table_id)
    return f"{alias}part IN (0, {tid}) AND {alias}table_id = {tid}"


async def list_tables(
    uow: UnitOfWork, *, status: str | None = None, gov_stat_code: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[StatTableRow]]:
    w = Where().scoped(uow).eq("status", status).eq("gov_stat_code", gov_stat_code)
    total = await uow.fetchval(f"SELECT count(*) FROM stat_table WHERE {w}", *w.args)
    rows = await uow.rows(
        StatTableRow,
        f"SELECT {TABLE_COLUMNS} FROM stat_table WHERE {w} ORDER BY created_at DESC, id DESC"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, rows


async def table_info(uow: UnitOfWork, table: StatTableRow) -> TableInfo:
    """The table with its statistic's and agency's names (what e-Stat's TABLE_INF shows)."""
    g = await directory.statistic(uow, table.gov_stat_code)
    names = {"stat_name": g.name_ja, "agency_code": g.agency_code, "agency_name": g.agency_name} if g else {}
    return TableInfo(**msgspec.structs.asdict(table), **names)


async def classes(uow: UnitOfWork, table_id: int) -> list[ClassObj]:
    objs = await uow.rows(
        ClassObj,
        "SELECT obj_id, name, source, indexed, name_en, description FROM class_obj WHERE table_id = $1 ORDER BY position",
        table_id,
    )
    items = await uow.rows(
        ClassItem,
        f"SELECT {columns(ClassItem)} FROM class_item WHERE table_id = $1 ORDER BY obj_id, position",
        table_id,
    )
    by_obj: dict[str, list[ClassItem]] = {}
    for i in items:
        by_obj.setdefault(i.obj_id, []).append(i)
    for o in objs:
        o.items = by_obj.get(o.obj_id, [])
    return objs


def filters_from(query: Mapping[str, str]) -> dict[str, list[str]]:
    """cdArea=29000,29201 -> {"area": ["29000", "29201"]}"""
    out = {}
    for param, obj in FILTER_PARAMS.items():
        value = query.get(param)
        if value:
            codes = [c.strip() for c in value.split(",") if c.strip()]
            if len(codes) > 1000:
                raise InvalidInput.field(param, "コードは1000個までです / at most 1000 codes")
            out[obj] = codes
    return out


async def observations(
    uow: UnitOfWork,
    table_id: int,
    objs: list[ClassObj],
    filters: dict[str, list[str]],
    *,
    start: int = 1,
    limit: int = 100,
    count: bool = True,
) -> tuple[int, list[Observation], int | None]:
    """(matching total, rows from seq >= start, the next start or None). Filters on dimensions the
    table does not have match nothing. The table's partition has an index on each dimension marked
    `indexed`, which PostgreSQL uses for a narrowing filter."""
    dims = dims_of(objs)
    w = Where().add(of_table(table_id))
    for obj, codes in filters.items():
        if obj not in dims:
            return 0, [], None
        w.any(obj, codes)
    total = await uow.fetchval(f"SELECT count(*) FROM observation WHERE {w}", *w.args) if count else -1
    w.add("seq >= {}", start)
    names = ["seq", *dims, "unit", "value", "raw", "annotation"]
    cols = ", ".join(n if n != "value" else "value::text AS value" for n in names)  # the digits as stored
    records = await uow.fetch(f"SELECT {cols} FROM observation WHERE {w} ORDER BY seq LIMIT {int(limit) + 1}", *w.args)
    more = records[limit]["seq"] if len(records) > limit else None
    return total, build_all(Observation, records[:limit], names), more


def dims_of(class_objs: list[ClassObj]) -> list[str]:
    return [o.obj_id for o in class_objs]

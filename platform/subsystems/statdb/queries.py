"""Read queries of the statistical database: tables, classes, observations (filter by any
dimension, page by the stable order `seq`)."""
from __future__ import annotations

from typing import Any, Mapping

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.statdb.service import COLUMNS, _decoded
from govstat.platform.subsystems.statdb.tables import OBJ_IDS

# e-Stat API names of the code filters: cdTab, cdCat01 .. cdCat15, cdArea, cdTime
FILTER_PARAMS = {"cd" + o[0].upper() + o[1:]: o for o in OBJ_IDS}


def own(uow: UnitOfWork, alias: str = "") -> str:
    """The tenant condition repositories add: the caller's own rows (all for operators)."""
    return "true" if uow.scope.cross_tenant else f"{alias}tenant_id = govstat_scope_tenant()"


async def list_tables(uow: UnitOfWork, *, status: str | None = None, gov_stat_code: str | None = None,
                      limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    where, args = [own(uow)], []
    if status:
        args.append(status)
        where.append(f"status = ${len(args)}")
    if gov_stat_code:
        args.append(gov_stat_code)
        where.append(f"gov_stat_code = ${len(args)}")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM stat_table WHERE {sql_where}", *args)
    rows = await uow.fetch(f"SELECT {COLUMNS} FROM stat_table WHERE {sql_where} ORDER BY created_at DESC, id DESC"
                           f" LIMIT {int(limit)} OFFSET {int(offset)}", *args)
    return total, [_decoded(r) for r in rows]


async def table_info(uow: UnitOfWork, table: dict[str, Any]) -> dict[str, Any]:
    """The table with its statistic's and agency's names (what e-Stat's TABLE_INF shows)."""
    row = await uow.fetchrow("SELECT g.name_ja AS stat_name, g.agency_code, a.name_ja AS agency_name FROM gov_statistic g"
                             " JOIN agency a ON a.code = g.agency_code WHERE g.code = $1", table["gov_stat_code"])
    return {**table, **(dict(row) if row else {})}


async def classes(uow: UnitOfWork, table_id: int) -> list[dict[str, Any]]:
    objs = await uow.fetch("SELECT obj_id, name, source, indexed FROM class_obj WHERE table_id = $1 ORDER BY position",
                           table_id)
    items = await uow.fetch("SELECT obj_id, code, name, level, unit, parent_code FROM class_item WHERE table_id = $1"
                            " ORDER BY obj_id, position", table_id)
    by_obj: dict[str, list[dict]] = {}
    for i in items:
        by_obj.setdefault(i["obj_id"], []).append(dict(i))
    return [{**dict(o), "items": by_obj.get(o["obj_id"], [])} for o in objs]


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


async def observations(uow: UnitOfWork, table_id: int, objs: list[dict[str, Any]], filters: dict[str, list[str]], *,
                       start: int = 1, limit: int = 100, count: bool = True
                       ) -> tuple[int, list[dict[str, Any]], int | None]:
    """(matching total, rows from seq >= start, the next start or None). Filters on dimensions the
    table does not have match nothing. A filter on an indexed dimension names the index's condition
    (the bit of `indexed`), so that PostgreSQL may use that partial index."""
    dims, indexed = dims_of(objs), {o["obj_id"] for o in objs if o.get("indexed")}
    where, args = ["table_id = $1"], [table_id]
    for obj, codes in filters.items():
        if obj not in dims:
            return 0, [], None
        args.append(codes)
        where.append(f"{obj} = ANY(${len(args)}::text[])")
        if obj in indexed:
            where.append(f"(indexed & {1 << OBJ_IDS.index(obj)}) <> 0")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM observation WHERE {sql_where}", *args) if count else -1
    args.append(start)
    cols = ", ".join(["seq", *dims, "unit", "value::text AS value", "raw", "annotation"])  # the digits as stored
    rows = await uow.fetch(f"SELECT {cols} FROM observation WHERE {sql_where} AND seq >= ${len(args)}"
                           f" ORDER BY seq LIMIT {int(limit) + 1}", *args)
    more = rows[limit]["seq"] if len(rows) > limit else None
    return total, [dict(r) for r in rows[:limit]], more


def dims_of(class_objs: list[dict[str, Any]]) -> list[str]:
    return [o["obj_id"] for o in class_objs]

"""Read queries of the statistical database: tables, classes, observations (filter by any
dimension, page by the stable order `seq`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.statdb.service import COLUMNS, _decoded
from govstat.platform.subsystems.statdb.tables import OBJ_IDS

# e-Stat API names of the code filters: cdTab, cdCat01 .. cdCat15, cdArea, cdTime
FILTER_PARAMS = {"cd" + o[0].upper() + o[1:]: o for o in OBJ_IDS}


def of_table(table_id: int, alias: str = "") -> str:
    """The condition naming one table's observations, its id written into the SQL as a literal.
    `observation` has a partition per table. With a parameter ($1), PostgreSQL plans the sixth run
    of a prepared statement on a connection generically, opening and locking every partition (0.7 s
    and 6,000 locks with 2,000 tables); with the literal, every plan, generic or not, reads one."""
    return f"{alias}table_id = {int(table_id)}"


def own(uow: UnitOfWork, alias: str = "") -> str:
    """The tenant condition repositories add: the caller's own rows (all for operators)."""
    return "true" if uow.scope.cross_tenant else f"{alias}tenant_id = govstat_scope_tenant()"


async def list_tables(
    uow: UnitOfWork, *, status: str | None = None, gov_stat_code: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    where, args = [own(uow)], []
    if status:
        args.append(status)
        where.append(f"status = ${len(args)}")
    if gov_stat_code:
        args.append(gov_stat_code)
        where.append(f"gov_stat_code = ${len(args)}")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM stat_table WHERE {sql_where}", *args)
    rows = await uow.fetch(
        f"SELECT {COLUMNS} FROM stat_table WHERE {sql_where} ORDER BY created_at DESC, id DESC"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    return total, [_decoded(r) for r in rows]


async def table_info(uow: UnitOfWork, table: dict[str, Any]) -> dict[str, Any]:
    """The table with its statistic's and agency's names (what e-Stat's TABLE_INF shows)."""
    g = await directory.statistic(uow, table["gov_stat_code"])
    names = {"stat_name": g.name_ja, "agency_code": g.agency_code, "agency_name": g.agency_name} if g else {}
    return {**table, **names}


async def classes(uow: UnitOfWork, table_id: int) -> list[dict[str, Any]]:
    objs = await uow.fetch(
        "SELECT obj_id, name, source, indexed FROM class_obj WHERE table_id = $1 ORDER BY position", table_id
    )
    items = await uow.fetch(
        "SELECT obj_id, code, name, level, unit, parent_code FROM class_item WHERE table_id = $1"
        " ORDER BY obj_id, position",
        table_id,
    )
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


async def observations(
    uow: UnitOfWork,
    table_id: int,
    objs: list[dict[str, Any]],
    filters: dict[str, list[str]],
    *,
    start: int = 1,
    limit: int = 100,
    count: bool = True,
) -> tuple[int, list[dict[str, Any]], int | None]:
    """(matching total, rows from seq >= start, the next start or None). Filters on dimensions the
    table does not have match nothing. The table's partition has an index on each dimension marked
    `indexed`, which PostgreSQL uses for a narrowing filter."""
    dims = dims_of(objs)
    where, args = [of_table(table_id)], []
    for obj, codes in filters.items():
        if obj not in dims:
            return 0, [], None
        args.append(codes)
        where.append(f"{obj} = ANY(${len(args)}::text[])")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM observation WHERE {sql_where}", *args) if count else -1
    args.append(start)
    cols = ", ".join(["seq", *dims, "unit", "value::text AS value", "raw", "annotation"])  # the digits as stored
    rows = await uow.fetch(
        f"SELECT {cols} FROM observation WHERE {sql_where} AND seq >= ${len(args)} ORDER BY seq LIMIT {int(limit) + 1}",
        *args,
    )
    more = rows[limit]["seq"] if len(rows) > limit else None
    return total, [dict(r) for r in rows[:limit]], more


def dims_of(class_objs: list[dict[str, Any]]) -> list[str]:
    return [o["obj_id"] for o in class_objs]

"""getStatsData: the observations of a published table, narrowed and paged as e-Stat does."""

from __future__ import annotations

from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api.params import Narrowing
from govstat.platform.subsystems.statdb.queries import of_table

# replaceSpChars: 0 keep the special character, 1 -> "0", 2 -> NULL, 3 -> "NA"
_REPLACEMENT = {1: "0", 2: None, 3: "NA"}


def where(table_id: int, dims: list[str], narrowing: list[Narrowing]) -> tuple[str, list[Any]] | None:
    """The SQL condition, or None when a narrowing names a dimension the table lacks (no data).
    (The table's partition has an index on each dimension statdb marked `indexed`.)"""
    clauses, args = [of_table(table_id, "o.")], []
    for n in narrowing:
        if n.obj_id not in dims:
            return None
        col = f"o.{n.obj_id}"
        if n.codes:
            args.append(n.codes)
            clauses.append(f"{col} = ANY(${len(args)}::text[])")
        if n.code_from:
            args.append(n.code_from)
            clauses.append(f"{col} >= ${len(args)}")
        if n.code_to:
            args.append(n.code_to)
            clauses.append(f"{col} <= ${len(args)}")
        if n.level:
            low, high = n.level_range()
            args += [n.obj_id, low, high]
            k = len(args)
            clauses.append(
                f"{col} IN (SELECT code FROM class_item WHERE {of_table(table_id)} AND obj_id = ${k - 2}"
                f" AND (${k - 1}::int IS NULL OR level >= ${k - 1}) AND (${k}::int IS NULL OR level <= ${k}))"
            )
    return " AND ".join(clauses), args


async def count(uow: UnitOfWork, cond: str, args: list[Any]) -> int:
    return await uow.fetchval(f"SELECT count(*) FROM observation o WHERE {cond}", *args)


async def values(
    uow: UnitOfWork,
    dims: list[str],
    cond: str,
    args: list[Any],
    *,
    start: int,
    limit: int,
    narrowed: bool,
    replace: int,
    annotations: bool,
) -> list[dict[str, Any]]:
    """VALUE rows from position `start` (1-based): by seq when unfiltered (seq is dense), else by offset."""
    cols = ", ".join(
        [
            *(f"o.{d}" for d in dims),
            "o.unit",
            "coalesce(o.value::text, o.raw) AS v",
            "o.raw IS NOT NULL AND o.value IS NULL AS special",
            "o.annotation",
        ]
    )
    if narrowed:
        sql = f"SELECT {cols} FROM observation o WHERE {cond} ORDER BY o.seq OFFSET {start - 1} LIMIT {limit}"
    else:
        sql = f"SELECT {cols} FROM observation o WHERE {cond} AND o.seq >= {start} ORDER BY o.seq LIMIT {limit}"
    rows = await uow.fetch(sql, *args)
    keys = [f"@{d}" for d in dims]
    n = len(dims)
    out = []
    append = out.append
    for r in rows:
        item = dict(zip(keys, r, strict=False))
        if r[n] is not None:
            item["@unit"] = r[n]
        if annotations and r[n + 3] is not None:
            item["@annotation"] = r[n + 3]
        item["$"] = _REPLACEMENT.get(replace, r[n + 1]) if (replace and r[n + 2]) else r[n + 1]
        append(item)
    return out

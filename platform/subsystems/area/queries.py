"""Read queries of the area codes (SQL where Piccolo's builder would obscure it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govstat.platform.db.uow import UnitOfWork

VALID_ON = "(v.valid_from IS NULL OR v.valid_from <= $1) AND (v.valid_to IS NULL OR v.valid_to > $1)"
COLUMNS = (
    "v.code, v.code6, v.pref_code, v.pref_name, v.desig_name, v.desig_kana, v.name, v.name_kana, v.level,"
    " v.valid_from, v.valid_to, v.source"
)


async def codes_on(
    uow: UnitOfWork, day: dt.date, *, pref: str | None, q: str | None, level: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    where, args = [VALID_ON], [day]
    if pref:
        args.append(pref)
        where.append(f"v.pref_code = ${len(args)}")
    if level:
        args.append(level)
        where.append(f"v.level = ${len(args)}")
    if q:
        args.append(f"%{q}%")
        n = len(args)
        where.append(f"(v.name LIKE ${n} OR v.name_kana LIKE ${n} OR v.desig_name LIKE ${n} OR v.code LIKE ${n})")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM area_version v WHERE {sql_where}", *args)
    rows = await uow.fetch(
        f"SELECT {COLUMNS} FROM area_version v WHERE {sql_where} ORDER BY v.code"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    return total, [dict(r) for r in rows]


FORWARD = """
WITH RECURSIVE chain AS (
  SELECT l.id, l.old_code, l.old_name, l.new_code, l.new_name, l.effective_on, c.kind, c.reason, 1 AS depth, ARRAY[l.id] AS path
  FROM area_link l JOIN area_change c ON c.id = l.change_id
  WHERE l.old_code = $1 AND ($2::date IS NULL OR l.effective_on >= $2)
  UNION ALL
  SELECT l.id, l.old_code, l.old_name, l.new_code, l.new_name, l.effective_on, c.kind, c.reason, ch.depth + 1, ch.path || l.id
  FROM chain ch JOIN area_link l ON l.old_code = ch.new_code AND l.effective_on >= ch.effective_on
  JOIN area_change c ON c.id = l.change_id
  WHERE NOT l.id = ANY(ch.path) AND ch.depth < 40 AND NOT (l.old_code = l.new_code AND l.effective_on = ch.effective_on)
)
SELECT DISTINCT ON (id) id, old_code, old_name, new_code, new_name, effective_on, kind, reason, depth
FROM chain ORDER BY id, depth
"""

BACKWARD = """
WITH RECURSIVE chain AS (
  SELECT l.id, l.old_code, l.old_name, l.new_code, l.new_name, l.effective_on, c.kind, c.reason, 1 AS depth, ARRAY[l.id] AS path
  FROM area_link l JOIN area_change c ON c.id = l.change_id
  WHERE l.new_code = $1 AND ($2::date IS NULL OR l.effective_on <= $2)
  UNION ALL
  SELECT l.id, l.old_code, l.old_name, l.new_code, l.new_name, l.effective_on, c.kind, c.reason, ch.depth + 1, ch.path || l.id
  FROM chain ch JOIN area_link l ON l.new_code = ch.old_code AND l.effective_on <= ch.effective_on
  JOIN area_change c ON c.id = l.change_id
  WHERE NOT l.id = ANY(ch.path) AND ch.depth < 40 AND NOT (l.old_code = l.new_code AND l.effective_on = ch.effective_on)
)
SELECT DISTINCT ON (id) id, old_code, old_name, new_code, new_name, effective_on, kind, reason, depth
FROM chain ORDER BY id, depth
"""


async def follow(uow: UnitOfWork, code: str, direction: str, around: dt.date | None = None) -> list[dict[str, Any]]:
    """Every succession step reachable from `code`, in time order (forward) or reverse (backward)."""
    rows = await uow.fetch(FORWARD if direction == "forward" else BACKWARD, code, around)
    steps = sorted(
        (dict(r) for r in rows),
        key=lambda r: (r["effective_on"], r["depth"], r["old_code"], r["new_code"]),
        reverse=direction == "backward",
    )
    for s in steps:
        s.pop("id", None)
    return steps


async def pref_name(uow: UnitOfWork, pref_code: str) -> str | None:
    return await uow.fetchval(
        "SELECT pref_name FROM area_version WHERE pref_code = $1 AND level = 'prefecture'"
        " ORDER BY valid_from DESC NULLS FIRST LIMIT 1",
        pref_code,
    )


async def current_version(uow: UnitOfWork, code: str, day: dt.date) -> dict[str, Any] | None:
    row = await uow.fetchrow(
        f"SELECT v.id, {COLUMNS} FROM area_version v WHERE v.code = $2 AND {VALID_ON} FOR UPDATE", day, code
    )
    return dict(row) if row else None

"""Read queries of the area codes (SQL where Piccolo's builder would obscure it)."""

from __future__ import annotations

import datetime as dt

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.area.rows import AreaChangeRow, AreaCode, AreaVersionRow, Step, YearCount

VALID_ON = "(v.valid_from IS NULL OR v.valid_from <= {0}) AND (v.valid_to IS NULL OR v.valid_to > {0})"


async def codes_on(
    uow: UnitOfWork, day: dt.date, *, pref: str | None, q: str | None, level: str | None, limit: int, offset: int
) -> tuple[int, list[AreaCode]]:
    w = Where().add(VALID_ON, day).eq("v.pref_code", pref).eq("v.level", level)
    if q:
        w.add("(v.name LIKE {0} OR v.name_kana LIKE {0} OR v.desig_name LIKE {0} OR v.code LIKE {0})", f"%{q}%")
    total = await uow.fetchval(f"SELECT count(*) FROM area_version v WHERE {w}", *w.args)
    rows = await uow.rows(
        AreaCode,
        f"SELECT {columns(AreaCode, 'v.')} FROM area_version v WHERE {w} ORDER BY v.code"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, rows


async def changes(
    uow: UnitOfWork,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    pref: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    names_too: bool = True,
    limit: int,
    offset: int,
) -> tuple[int, list[AreaChangeRow]]:
    """Changes newest first, filtered by date, prefecture, kind and words of the reason (and of the
    name, `names_too`)."""
    w = Where().eq("kind", kind)
    if date_from:
        w.add("effective_on >= {}", date_from)
    if date_to:
        w.add("effective_on <= {}", date_to)
    if pref:
        w.add("code LIKE {}", f"{pref}%")
    if q:
        w.add("(reason LIKE {0} OR name LIKE {0})" if names_too else "reason LIKE {0}", f"%{q}%")
    total = await uow.fetchval(f"SELECT count(*) FROM area_change WHERE {w}", *w.args)
    rows = await uow.rows(
        AreaChangeRow,
        f"SELECT {columns(AreaChangeRow)} FROM area_change WHERE {w} ORDER BY effective_on DESC"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, rows


async def changes_per_year(uow: UnitOfWork) -> list[YearCount]:
    return await uow.rows(
        YearCount,
        "SELECT extract(year FROM effective_on)::int AS year, count(*) AS n FROM area_change GROUP BY 1 ORDER BY 1",
    )


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


async def follow(uow: UnitOfWork, code: str, direction: str, around: dt.date | None = None) -> list[Step]:
    """Every succession step reachable from `code`, in time order (forward) or reverse (backward)."""
    steps = await uow.rows(Step, FORWARD if direction == "forward" else BACKWARD, code, around)
    return sorted(
        steps, key=lambda s: (s.effective_on, s.depth, s.old_code, s.new_code), reverse=direction == "backward"
    )


async def pref_name(uow: UnitOfWork, pref_code: str) -> str | None:
    return await uow.fetchval(
        "SELECT pref_name FROM area_version WHERE pref_code = $1 AND level = 'prefecture'"
        " ORDER BY valid_from DESC NULLS FIRST LIMIT 1",
        pref_code,
    )


async def current_version(uow: UnitOfWork, code: str, day: dt.date) -> AreaVersionRow | None:
    w = Where().add(VALID_ON, day).add("v.code = {}", code)
    return await uow.row(
        AreaVersionRow, f"SELECT {columns(AreaVersionRow, 'v.')} FROM area_version v WHERE {w} FOR UPDATE", *w.args
    )

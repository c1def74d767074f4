"""refDataset's collectArea (集計地域区分: 1 全国, 2 都道府県, 3 市区町村): the caller's datasets
whose table's deepest area level is that one, as getStatsList's collectArea reads it (the view
statdb publishes, table_area_level; a table without an area dimension matches none)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api.faults import invalid
from govstat.platform.subsystems.estat.api.rows import Dataset

D = TypeVar("D", bound=Dataset)
LEVELS = {"1": 1, "2": 2, "3": 3}


async def narrowed(uow: UnitOfWork, q: Mapping[str, str], rows: list[D]) -> list[D]:
    """`rows` whose table matches collectArea; all of them when the parameter is absent."""
    asked = q.get("collectArea")
    if not asked:
        return rows
    level = LEVELS.get(asked)
    if level is None:
        raise invalid("collectArea", asked)
    ids = sorted({r.stats_data_id for r in rows})
    found = await uow.fetch(
        "SELECT t.stats_data_id::text AS sid, l.area_level FROM published_table t"
        " JOIN table_area_level l ON l.table_id = t.id WHERE t.stats_data_id = ANY($1::text[])",
        ids,
    )
    levels = {r["sid"]: r["area_level"] for r in found}
    return [
        r for r in rows if (lv := levels.get(r.stats_data_id)) is not None and (lv >= 3 if level == 3 else lv == level)
    ]

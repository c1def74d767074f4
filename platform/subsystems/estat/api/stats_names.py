"""getStatsList with statsNameList=Y: the statistics (政府統計) that hold the tables found, one
LIST_INF each (STAT_NAME, GOV_ORG), instead of the tables themselves, as e-Stat answers it."""

from __future__ import annotations

from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api.result import result


class StatName(msgspec.Struct, kw_only=True):
    code: str
    name_ja: str
    agency_code: str
    agency_name: str
    agency_name_en: str | None
    name_en: str


# the statistics of the tables matching `w` (t: published_table, g: directory_statistic), with the
# statistic's English name as its newest table's parameter file gives it
SELECT = """
SELECT g.code, g.name_ja, g.agency_code, g.agency_name, g.agency_name_en,
       coalesce((SELECT d.english->>'stat_name' FROM published_table t2 JOIN published_table_detail d ON d.id = t2.id
                 WHERE t2.gov_stat_code = g.code AND d.english ? 'stat_name' ORDER BY t2.id DESC LIMIT 1), '') AS name_en
FROM directory_statistic g
WHERE g.code IN (SELECT t.gov_stat_code FROM published_table t JOIN directory_statistic g ON g.code = t.gov_stat_code
                 WHERE {where})"""


async def get_stats_names(
    uow: UnitOfWork, parameter: dict[str, Any], w: Where, *, lang: str, start: int, limit: int, units: list[int]
) -> dict[str, Any]:
    sql = SELECT.format(where=w)
    total = await uow.fetchval(f"SELECT count(*) FROM ({sql}) s", *w.args)
    rows = await uow.rows(StatName, f"{sql} ORDER BY g.code OFFSET {int(start) - 1} LIMIT {int(limit)}", *w.args)
    en = lang == "E"
    items = [
        {
            "@id": f"{start + i:06d}",
            "STAT_NAME": {"@code": r.code, "$": (en and r.name_en) or r.name_ja},
            "GOV_ORG": {"@code": r.agency_code, "$": (en and r.agency_name_en) or r.agency_name},
        }
        for i, r in enumerate(rows)
    ]
    inf: dict[str, Any] = {
        "NUMBER": total,
        "RESULT_INF": {"FROM_NUMBER": start if items else 0, "TO_NUMBER": start + len(items) - 1 if items else 0},
    }
    if items and start + len(items) - 1 < total:
        inf["RESULT_INF"]["NEXT_KEY"] = start + len(items)
    if items:
        inf["LIST_INF"] = items[0] if len(items) == 1 else items
    units.append(len(items))
    return {"GET_STATS_LIST": {"RESULT": result(0 if items else 1), "PARAMETER": parameter, "DATALIST_INF": inf}}

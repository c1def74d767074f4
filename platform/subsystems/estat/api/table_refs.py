"""Published tables as the e-Stat API shows them: TABLE_INF and CLASS_INF.

Only published tables whose publication time has come are visible here, whoever asks: an agency's
own drafts stay in its statdb pages, never in the public API."""

from __future__ import annotations

from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.api.inf import iso_day, survey_date_field, table_inf
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.statdb import notes
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.revisions.read import withdrawal

# statdb's published tables with tenants' directory of statistics (views both owners publish:
# statdb/published.py, platform/directory.py). The view holds only published and due tables;
# callers add their conditions with " AND ...".
SELECT = """
SELECT t.id, t.stats_data_id, t.tenant_id, t.status, t.gov_stat_code, t.table_no, t.title, t.statistics_name, t.cycle, t.survey_date,
       t.open_date, t.explanation, t.notes, t.total_number, t.publish_at, t.updated_at,
       g.name_ja AS stat_name, g.agency_code, g.agency_name, g.agency_name_en,
       coalesce(g.field_code, '99') AS field_code, coalesce(g.field_name, 'その他') AS field_name,
       (SELECT l.area_level FROM table_area_level l WHERE l.table_id = t.id) AS area_level,
       g.field_name_en, coalesce(d.english, '{}')::text AS english, coalesce(d.spec, '{}')::text AS spec,
       coalesce(d.sub_category, '') AS sub_category, coalesce(d.small_area, 0) AS small_area
FROM published_table t JOIN directory_statistic g ON g.code = t.gov_stat_code
LEFT JOIN published_table_detail d ON d.id = t.id
WHERE true"""


async def published(uow: UnitOfWork, stats_data_id: str) -> PublishedTable:
    row = await uow.row(PublishedTable, SELECT + " AND t.stats_data_id = $1", stats_data_id)
    if row is None:
        gone = await withdrawal(uow, stats_data_id)
        if gone is not None:  # 取り下げ: said so, never silently gone
            raise EstatFault(106, f"{stats_data_id}: {iso_day(gone.withdrawn_at)} {gone.withdrawn_reason}")
        raise EstatFault(103, stats_data_id)
    return decoded(row)


async def listed(uow: UnitOfWork, sql: str, *args: Any) -> list[PublishedTable]:
    """Published tables of a query built on SELECT."""
    return [decoded(r) for r in await uow.rows(PublishedTable, sql, *args)]


def decoded(row: PublishedTable) -> PublishedTable:
    return msgspec.structs.replace(row, notes=notes.decode(row.notes))


async def class_inf(uow: UnitOfWork, table_id: int, lang: str = "J") -> tuple[dict[str, Any], list[str]]:
    """CLASS_INF and the table's dimensions in order. A single item is an object. lang "E": the
    English names where the parameter file gave them, else the Japanese (as e-Stat does)."""
    en = lang == "E"
    objs = await statdb.classes(uow, table_id)
    out: list[dict[str, Any]] = []
    for o in objs:
        items = [
            {
                "@code": i.code,
                "@name": (en and i.name_en) or i.name,
                "@level": str(i.level),
                **({"@unit": i.unit} if i.unit else {}),
                **({"@parentCode": i.parent_code} if i.parent_code else {}),
                **({"@addInf": i.add_inf} if i.add_inf else {}),
            }
            for i in o.items
        ]
        obj: dict[str, Any] = {"@id": o.obj_id, "@name": (en and o.name_en) or o.name}
        if o.description:
            obj["@description"] = o.description
        obj["CLASS"] = items[0] if len(items) == 1 else items
        explained = [{"@id": i.code, "$": i.explanation} for i in o.items if i.explanation]
        if explained:
            obj["EXPLANATION"] = explained[0] if len(explained) == 1 else explained
        out.append(obj)
    return {"CLASS_OBJ": out[0] if len(out) == 1 else out}, [o.obj_id for o in objs]


async def dims_of(uow: UnitOfWork, table_id: int) -> list[str]:
    return await statdb.dims_of(uow, table_id)


__all__ = ["iso_day", "survey_date_field", "table_inf"]  # TABLE_INF lives in inf.py

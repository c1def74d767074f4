"""Published tables as the e-Stat API shows them: TABLE_INF and CLASS_INF.

Only published tables whose publication time has come are visible here, whoever asks: an agency's
own drafts stay in its statdb pages, never in the public API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api.faults import EstatFault
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
       (SELECT l.area_level FROM table_area_level l WHERE l.table_id = t.id) AS area_level
FROM published_table t JOIN directory_statistic g ON g.code = t.gov_stat_code
WHERE true"""

COLLECT_AREA: dict[int | None, str] = {None: "該当なし", 1: "全国", 2: "都道府県"}


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


def iso_day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date().isoformat()
    return value.isoformat()


def table_inf(t: PublishedTable, *, explanation: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@id": t.stats_data_id,
        "STAT_NAME": {"@code": t.gov_stat_code, "$": t.stat_name},
        "GOV_ORG": {"@code": t.agency_code, "$": t.agency_name},
        "STATISTICS_NAME": t.statistics_name,
        "TITLE": {"@no": t.table_no, "$": t.title},
        "CYCLE": t.cycle or "-",
        "SURVEY_DATE": survey_date_field(t.survey_date),
        "OPEN_DATE": iso_day(t.open_date or t.publish_at),
        "SMALL_AREA": 0,
        "COLLECT_AREA": COLLECT_AREA.get(t.area_level, "市区町村"),
        "MAIN_CATEGORY": {"@code": t.field_code[:2], "$": t.field_name},
        "SUB_CATEGORY": {"@code": t.field_code[:2], "$": t.field_name},
        "OVERALL_TOTAL_NUMBER": t.total_number,
        "UPDATED_DATE": iso_day(t.updated_at),
        "STATISTICS_NAME_SPEC": {"TABULATION_CATEGORY": t.statistics_name},
        "TITLE_SPEC": {"TABLE_NAME": t.title},
    }
    if explanation and t.explanation:
        out["DESCRIPTION"] = {"TABULATION_CATEGORY_EXPLANATION": t.explanation}
    return out


def survey_date_field(value: str) -> int | str:
    return int(value) if value and value.isdigit() else (value or 0)


async def class_inf(uow: UnitOfWork, table_id: int) -> tuple[dict[str, Any], list[str]]:
    """CLASS_INF and the table's dimensions in order. A single item is an object."""
    objs = await statdb.classes(uow, table_id)
    out: list[dict[str, Any]] = []
    for o in objs:
        items = [
            {
                "@code": i.code,
                "@name": i.name,
                "@level": str(i.level),
                **({"@unit": i.unit} if i.unit else {}),
                **({"@parentCode": i.parent_code} if i.parent_code else {}),
            }
            for i in o.items
        ]
        out.append({"@id": o.obj_id, "@name": o.name, "CLASS": items[0] if len(items) == 1 else items})
    return {"CLASS_OBJ": out[0] if len(out) == 1 else out}, [o.obj_id for o in objs]


async def dims_of(uow: UnitOfWork, table_id: int) -> list[str]:
    return await statdb.dims_of(uow, table_id)

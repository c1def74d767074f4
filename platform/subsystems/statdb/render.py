"""A database table as the public sees it: e-Stat API 3.0 getStatsData JSON (ESTAT-5).

The owner's preview (test mode, STATDB-2) and the public API render through this one function,
so what the agency checks before publishing is exactly what is published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from govstat.platform.clock import JST
from govstat.platform.subsystems.statdb.notes import note_inf
from govstat.platform.subsystems.statdb.rows import ClassObj, Observation, TableInfo


def number(value: Decimal | str | None, raw: str | None) -> str:
    if value is None:
        return raw or ""
    if isinstance(value, str):
        return value
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def table_inf(t: TableInfo) -> dict[str, Any]:
    return {
        "@id": t.stats_data_id,
        "STAT_NAME": {"@code": t.gov_stat_code, "$": t.stat_name},
        "GOV_ORG": {"@code": t.agency_code, "$": t.agency_name},
        "STATISTICS_NAME": t.statistics_name,
        "TITLE": {"@no": t.table_no, "$": t.title},
        "CYCLE": t.cycle or "-",
        "SURVEY_DATE": t.survey_date or 0,
        "OPEN_DATE": _day(t.open_date or t.publish_at),
        "OVERALL_TOTAL_NUMBER": t.total_number,
        "UPDATED_DATE": _day(t.updated_at),
        **({"DESCRIPTION": t.explanation} if t.explanation else {}),
    }


def class_inf(class_objs: list[ClassObj]) -> dict[str, Any]:
    out = []
    for o in class_objs:
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
    return {"CLASS_OBJ": out}


def stats_data(
    t: TableInfo,
    class_objs: list[ClassObj],
    rows: list[Observation],
    *,
    total: int,
    start: int,
    next_key: int | None,
) -> dict[str, Any]:
    dims = [o.obj_id for o in class_objs]
    values = [
        {
            **{f"@{d}": getattr(r, d) for d in dims},
            **({"@unit": r.unit} if r.unit else {}),
            **({"@annotation": r.annotation} if r.annotation else {}),
            "$": number(r.value, r.raw),
        }
        for r in rows
    ]
    result_inf: dict[str, Any] = {
        "TOTAL_NUMBER": total,
        "FROM_NUMBER": rows[0].seq if rows else start,
        "TO_NUMBER": rows[-1].seq if rows else start,
    }
    if next_key is not None:
        result_inf["NEXT_KEY"] = next_key
    notes = note_inf(t.notes)
    return {
        "GET_STATS_DATA": {
            "RESULT": {
                "STATUS": 0,
                "ERROR_MSG": "正常に終了しました。",
                "DATE": dt.datetime.now(dt.UTC).isoformat(),
            },
            "PARAMETER": {
                "LANG": "J",
                "STATS_DATA_ID": t.stats_data_id,
                "DATA_FORMAT": "J",
                "START_POSITION": start,
            },
            "STATISTICAL_DATA": {
                "RESULT_INF": result_inf,
                "TABLE_INF": table_inf(t),
                "CLASS_INF": class_inf(class_objs),
                "DATA_INF": {**({"NOTE": notes} if notes else {}), "VALUE": values},
            },
        }
    }


def _day(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date().isoformat()
    return value.isoformat()

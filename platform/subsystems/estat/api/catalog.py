"""getDataCatalog: the files and database tables provided (DCAT-like catalogue of e-Stat)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.api import params, stats_list, table_refs
from govstat.platform.subsystems.estat.api.result import result


async def get_data_catalog(uow: UnitOfWork, q: Mapping[str, str], *, units: list[int]) -> dict[str, Any]:
    lang = params.lang(q)
    start = params.integer(q, "startPosition", 1, 1, 10**9)
    limit = params.integer(q, "limit", 100, 1, params.MAX_LIMIT)
    w = await stats_list.filters(uow, q)
    if q.get("statsDataId"):
        w.add("t.stats_data_id = {}", params.stats_data_id(q))
    base = table_refs.SELECT + f" AND {w}"
    total = await uow.fetchval(f"SELECT count(*) FROM ({base}) s", *w.args)
    order = f" ORDER BY t.publish_at DESC, t.id DESC OFFSET {start - 1} LIMIT {limit}"
    rows = await table_refs.listed(uow, base + order, *w.args)
    base_url = get_settings().base_url.rstrip("/")
    items = []
    for t in rows:
        sid = t.stats_data_id
        items.append(
            {
                "@id": sid,
                "DATASET": {
                    "STAT_NAME": {"@code": t.gov_stat_code, "$": t.stat_name},
                    "ORGANIZATION": {"@code": t.agency_code, "$": t.agency_name},
                    "TITLE": {"NAME": t.title, "TABULATION_CATEGORY": t.statistics_name},
                    "PUBLISHER": t.agency_name,
                    "LANGUAGE": "日本語",
                    "CYCLE": t.cycle or "-",
                    "SURVEY_DATE": table_refs.survey_date_field(t.survey_date),
                    "RELEASE_DATE": table_refs.iso_day(t.publish_at),
                    "LAST_MODIFIED_DATE": table_refs.iso_day(t.updated_at),
                },
                "RESOURCES": {
                    "RESOURCE": [
                        {
                            "@id": f"{sid}-db",
                            "TITLE": {"NAME": t.title, "TABLE_NO": t.table_no},
                            "URL": f"{base_url}/estat/tables/{sid}",
                            "FORMAT": "DB",
                            "RELEASE_DATE": table_refs.iso_day(t.publish_at),
                            "LAST_MODIFIED_DATE": table_refs.iso_day(t.updated_at),
                            "RESOURCE_LICENSE": "政府標準利用規約（第2.0版）準拠 / CC BY 4.0 compatible",
                        },
                        {
                            "@id": f"{sid}-csv",
                            "TITLE": {"NAME": t.title, "TABLE_NO": t.table_no},
                            "URL": f"{base_url}/estat/tables/{sid}/download.csv",
                            "FORMAT": "CSV",
                        },
                    ]
                },
            }
        )
    units.append(len(items))
    inf: dict[str, Any] = {
        "NUMBER": total,
        "RESULT_INF": {"FROM_NUMBER": start if items else 0, "TO_NUMBER": start + len(items) - 1 if items else 0},
    }
    if items and start + len(items) - 1 < total:
        inf["RESULT_INF"]["NEXT_KEY"] = start + len(items)
    if items:
        inf["DATA_CATALOG_INF"] = items[0] if len(items) == 1 else items
    return {
        "GET_DATA_CATALOG": {
            "RESULT": result(0 if items else 1),
            "PARAMETER": {"LANG": lang, "DATA_FORMAT": "J", "START_POSITION": start, "LIMIT": limit},
            "DATA_CATALOG_LIST_INF": inf,
        }
    }

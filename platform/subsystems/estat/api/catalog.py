"""getDataCatalog: the table files (統計表ファイル, the tables module) and database tables
(statdb) provided, as e-Stat's DCAT-like catalogue: one DATA_CATALOG_INF per catalogue entry
(`catalogId`: a database table's statsDataId, or a table file's id), one RESOURCE per thing to
fetch (`resourceId`: `<statsDataId>-db`, `<statsDataId>-csv`, or the file's id).

dataType narrows to one format as e-Stat names them: DB, CSV, XLS (XLSX files), PDF (the tables
module holds no PDF files, so PDF finds nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.api import catalog_entries, params, stats_list
from govstat.platform.subsystems.estat.api.faults import invalid
from govstat.platform.subsystems.estat.api.result import result

DATA_TYPES = ("XLS", "CSV", "PDF", "XML", "XLS_REP", "DB")
_ECHO = {
    "explanationGetFlg": "EXPLANATION_GET_FLG",
    "dataType": "DATA_TYPE",
    "catalogId": "CATALOG_ID",
    "resourceId": "RESOURCE_ID",
}


async def get_data_catalog(uow: UnitOfWork, q: Mapping[str, str], *, units: list[int]) -> dict[str, Any]:
    lang = params.lang(q)
    start = params.integer(q, "startPosition", 1, 1, 10**9)
    limit = params.integer(q, "limit", 100, 1, params.MAX_LIMIT)
    explanation = params.flag(q, "explanationGetFlg", "Y")
    data_type = q.get("dataType") or ""
    if data_type and data_type not in DATA_TYPES:
        raise invalid("dataType", data_type)
    w = await stats_list.filters(uow, q, files=True)  # files matched by their words, tables by the index
    if q.get("statsDataId"):
        w.add("t.stats_data_id = {}", params.stats_data_id(q))
    catalog_id, resource = q.get("catalogId") or "", q.get("resourceId") or ""
    if resource:
        catalog_id = catalog_entries.catalog_of(resource)
    if catalog_id:
        w.add("t.catalog_id = {}", catalog_id[:64])
    formats = catalog_entries.FORMATS.get(data_type)
    if formats is not None:
        w.add("t.format = ANY({}::text[])", formats)
    total, rows = await catalog_entries.page(uow, w, start=start, limit=limit)
    base_url = get_settings().base_url.rstrip("/")
    items = [
        catalog_entries.entry(
            t, base_url, lang=lang, data_type=data_type, resource=resource, explanation=explanation == "Y"
        )
        for t in rows
    ]
    units.append(len(items))
    inf: dict[str, Any] = {
        "NUMBER": total,
        "RESULT_INF": {"FROM_NUMBER": start if items else 0, "TO_NUMBER": start + len(items) - 1 if items else 0},
    }
    if items and start + len(items) - 1 < total:
        inf["RESULT_INF"]["NEXT_KEY"] = start + len(items)
    if items:
        inf["DATA_CATALOG_INF"] = items[0] if len(items) == 1 else items
    parameter = {
        "LANG": lang,
        **{v: q[k] for k, v in _ECHO.items() if q.get(k)},
        "DATA_FORMAT": "J",
        "START_POSITION": start,
        "LIMIT": limit,
    }
    return {
        "GET_DATA_CATALOG": {
            "RESULT": result(0 if items else 1),
            "PARAMETER": parameter,
            "DATA_CATALOG_LIST_INF": inf,
        }
    }

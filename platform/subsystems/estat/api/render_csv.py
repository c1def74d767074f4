"""The CSV forms beyond getSimpleStatsData and getSimpleStatsList's tables (render.py):
getSimpleStatsList with statsNameList=Y, getSimpleMetaInfo, getSimpleDataCatalog and
getSimpleStatsDatas (the answer's RESULT, then per request a REQUEST_NO line, its PARAMETER and its
values as getSimpleStatsData writes them). Each starts,
like e-Stat's, with the RESULT and PARAMETER sections unless sectionHeaderFlg=2; every cell goes
through the platform's CSV writer (spreadsheet.csv_writer, which defuses formulas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from govstat.platform.subsystems.estat.api import bulk_shape, render
from govstat.platform.web.spreadsheet import csv_writer


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else ([] if v is None else [v])


def _section(w: Any, name: str, fields: dict[str, Any]) -> None:
    fields = {k: v for k, v in fields.items() if not isinstance(v, dict)}
    w.writerow([name])
    w.writerow(list(fields))
    w.writerow(["" if v is None else str(v) for v in fields.values()])


def _start(root: dict[str, Any], section: bool, name: str) -> tuple[io.StringIO, Any]:
    out = io.StringIO()
    w = csv_writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if section:
        _section(w, "RESULT", root["RESULT"])
        _section(w, "PARAMETER", root.get("PARAMETER", {}))
        w.writerow([name])
    return out, w


def stats_names(body: dict[str, Any], section: bool) -> str:
    root = body["GET_STATS_LIST"]
    out, w = _start(root, section, "DATALIST_INF")
    w.writerow(["LIST_INF", "STAT_CODE", "STAT_NAME", "GOV_ORG_CODE", "GOV_ORG_NAME"])
    for i in _as_list(root.get("DATALIST_INF", {}).get("LIST_INF")):
        w.writerow([i["@id"], i["STAT_NAME"]["@code"], i["STAT_NAME"]["$"], i["GOV_ORG"]["@code"], i["GOV_ORG"]["$"]])
    return out.getvalue()


def meta_info(body: dict[str, Any], section: bool) -> str:
    root = body["GET_META_INFO"]
    out, w = _start(root, section, "METADATA_INF")
    w.writerow(["CLASS_OBJ_ID", "CLASS_OBJ_NAME", "CODE", "NAME", "LEVEL", "UNIT", "PARENT_CODE"])
    objs = _as_list(root.get("METADATA_INF", {}).get("CLASS_INF", {}).get("CLASS_OBJ"))
    for o in objs:
        for c in _as_list(o.get("CLASS")):
            w.writerow(
                [o["@id"], o["@name"], c["@code"], c["@name"], c.get("@level", ""), c.get("@unit", ""),
                 c.get("@parentCode", "")]
            )  # fmt: skip
    return out.getvalue()


def data_catalog(body: dict[str, Any], section: bool) -> str:
    root = body["GET_DATA_CATALOG"]
    out, w = _start(root, section, "DATA_CATALOG_LIST_INF")
    w.writerow(
        ["CATALOG_ID", "STAT_CODE", "STAT_NAME", "ORGANIZATION_CODE", "ORGANIZATION_NAME", "TITLE", "SURVEY_DATE",
         "RELEASE_DATE", "RESOURCE_ID", "RESOURCE_NAME", "TABLE_NO", "FORMAT", "URL", "LAST_MODIFIED_DATE"]
    )  # fmt: skip
    for c in _as_list(root.get("DATA_CATALOG_LIST_INF", {}).get("DATA_CATALOG_INF")):
        d = c["DATASET"]
        for r in _as_list(c["RESOURCES"]["RESOURCE"]):
            w.writerow(
                [c["@id"], d["STAT_NAME"]["@code"], d["STAT_NAME"]["$"], d["ORGANIZATION"]["@code"],
                 d["ORGANIZATION"]["$"], d["TITLE"]["NAME"], d["SURVEY_DATE"], d["RELEASE_DATE"], r["@id"],
                 r["TITLE"]["NAME"], r["TITLE"]["TABLE_NO"], r["FORMAT"], r["URL"], r["LAST_MODIFIED_DATE"]]
            )  # fmt: skip
    return out.getvalue()


def stats_datas(body: dict[str, Any], section: bool) -> str:
    """getSimpleStatsDatas: the answer's RESULT (which names the requests that did not answer in
    full), then per request REQUEST_NO, its PARAMETER and, when it matched values, its annotations and
    VALUE rows as getSimpleStatsData writes them (sections left out under sectionHeaderFlg=2)."""
    root = body["GET_STATS_DATAS"]
    out = io.StringIO()
    w = csv_writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if section:
        _section(w, "RESULT", root["RESULT"])
    for no, parameter, sd in bulk_shape.requests(root):
        w.writerow(["REQUEST_NO", no])
        if section:
            _section(w, "PARAMETER", parameter)
        if sd is None or "DATA_INF" not in sd:
            continue
        if section:
            for a in _as_list(sd["DATA_INF"].get("ANNOTATION")):
                w.writerow(["ANNOTATION", a["@annotation"], a["$"]])
            w.writerow(["VALUE"])
        out.write(render.simple_stats_data({"GET_STATS_DATA": {"STATISTICAL_DATA": sd}}, False))
    return out.getvalue()


def renderer(fn: str, body: dict[str, Any]) -> Callable[[dict[str, Any], bool], str]:
    """The CSV writer of function `fn`'s answer."""
    if fn == "getStatsList":
        inf = body["GET_STATS_LIST"].get("DATALIST_INF", {})
        return (
            stats_names
            if "LIST_INF" in inf or body["GET_STATS_LIST"]["PARAMETER"].get("STATS_NAME_LIST")
            else (render.simple_stats_list)
        )
    known = {"getMetaInfo": meta_info, "getDataCatalog": data_catalog, "getStatsDatas": stats_datas}
    return known.get(fn, render.simple_stats_data)

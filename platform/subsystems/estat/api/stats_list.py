"""getStatsList (and its CSV form getSimpleStatsList): find published tables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api import hits, paging, params, search, stats_names, table_refs
from govstat.platform.subsystems.estat.api.faults import invalid
from govstat.platform.subsystems.estat.api.result import result

_SURVEY_END = "coalesce(nullif(split_part(t.survey_date, '-', 2), ''), t.survey_date)"
SURVEY_FROM = "(left(t.survey_date, 4) || coalesce(nullif(substr(t.survey_date, 5, 2), ''), '01'))"
SURVEY_TO = f"(left({_SURVEY_END}, 4) || coalesce(nullif(substr({_SURVEY_END}, 5, 2), ''), '12'))"
_YEARS = re.compile(r"^(\d{4})(\d{2})?(?:\d{2})?(?:-(\d{4})(\d{2})?(?:\d{2})?)?$")  # days are read to the month


# statdb's detail view of the table `t` (SUB_CATEGORY, SMALL_AREA: statdb_0005), as a condition head
DETAIL = "published_table_detail d WHERE d.id = t.id"
SSDS = "00200502"  # 社会・人口統計体系 (searchKind=3)


def _period(name: str, value: str) -> tuple[str, str]:
    """yyyy, yyyymm, or a range of them -> inclusive yyyymm bounds."""
    m = _YEARS.match(value)
    if not m:
        raise invalid(name, value)
    y1, m1, y2, m2 = m.groups()
    low = y1 + (m1 or "01")
    high = (y2 or y1) + (m2 or (m1 if not y2 else None) or "12")
    return low, high


async def filters(uow: UnitOfWork, q: Mapping[str, str], w: Where | None = None, *, files: bool = False) -> Where:
    """getStatsList's conditions on table_refs.SELECT (t: the table, g: its statistic), added to `w`."""
    w = Where() if w is None else w
    if q.get("searchWord"):
        groups = await search.expand(uow, search.parse(q["searchWord"]))
        await search.condition(uow, groups, w, files=files)
    if q.get("surveyYears"):
        low, high = _period("surveyYears", q["surveyYears"])
        # the survey's own period (yyyy = its twelve months, or yyyymm-yyyymm) overlaps the asked one
        w.add(f"{SURVEY_FROM} <= {{1}} AND {SURVEY_TO} >= {{0}}", low, high)
    if q.get("openYears"):
        low, high = _period("openYears", q["openYears"])
        w.add("to_char(coalesce(t.open_date, t.publish_at::date), 'YYYYMM') BETWEEN {} AND {}", low, high)
    if q.get("statsField"):
        if not re.fullmatch(r"\d{2}|\d{4}", q["statsField"]):
            raise invalid("statsField", q["statsField"])
        w.add("coalesce(g.field_code, '99') = {}", q["statsField"][:2])
        if len(q["statsField"]) == 4:  # 小分類: the table's own sub-category (parameter file)
            w.add(f"EXISTS (SELECT 1 FROM {DETAIL} AND d.sub_category = {{}})", q["statsField"])
    if q.get("statsCode"):
        code = q["statsCode"]
        if not re.fullmatch(r"\d{5}|\d{8}", code):
            raise invalid("statsCode", code)
        w.add(f"{'g.agency_code' if len(code) == 5 else 't.gov_stat_code'} = {{}}", code)
    if q.get("searchKind", "1") not in ("1", "2", "3"):
        raise invalid("searchKind", q["searchKind"])
    kind = q.get("searchKind") or "1"
    if kind == "1":  # 統計情報: every table but the small-area and mesh ones
        w.add(f"NOT EXISTS (SELECT 1 FROM {DETAIL} AND d.small_area <> 0)")
    elif kind == "2":  # 小地域・地域メッシュ: tables whose parameter file says small_area 1 or 2
        w.add(f"EXISTS (SELECT 1 FROM {DETAIL} AND d.small_area <> 0)")
    else:  # 社会・人口統計体系: e-Stat API 2.0's third kind, not in the 3.0 spec (conformance doc, Sources)
        w.add("t.gov_stat_code = {}", SSDS)
    if q.get("collectArea") and kind != "2":  # the spec: collectArea is void with searchKind=2
        level = {"1": 1, "2": 2, "3": 3}.get(q["collectArea"])
        if level is None:
            raise invalid("collectArea", q["collectArea"])
        w.add(
            f"coalesce((SELECT l.area_level FROM table_area_level l WHERE l.table_id = t.id), 0)"
            f" {'>=' if level == 3 else '='} {level}"
        )
    if q.get("updatedDate"):
        low, high = _period("updatedDate", q["updatedDate"])
        w.add("to_char(t.updated_at, 'YYYYMM') BETWEEN {} AND {}", low, high)
    return w


def survey_bounds(value: str) -> tuple[str, str] | None:
    """surveyYears as inclusive yyyymm bounds (None: not given)."""
    return _period("surveyYears", value) if value else None


async def fast_query(uow: UnitOfWork, q: Mapping[str, str]) -> hits.Query:
    """The conditions of a search hits.applies to, as the search table reads them."""
    survey = survey_bounds(q.get("surveyYears", ""))
    groups = await search.expand(uow, search.parse(q["searchWord"]))
    return hits.Query(groups=groups, survey=survey, small_area=(q.get("searchKind") or "1") == "2")


async def get_stats_list(uow: UnitOfWork, q: Mapping[str, str], *, units: list[int]) -> dict[str, Any]:
    lang = params.lang(q)
    start = params.integer(q, "startPosition", 1, 1, 10**9)
    limit = params.integer(q, "limit", params.MAX_LIMIT, 1, params.MAX_LIMIT)
    explanation = params.flag(q, "explanationGetFlg", "Y")
    fast = hits.applies(q)  # keywords (and period, kind) only: the search table answers (api/hits.py)
    w = await filters(uow, q) if not fast else Where()
    parameter = {
        "LANG": lang,
        **{k.upper(): v for k, v in _echo(q).items()},
        "DATA_FORMAT": "J",
        "START_POSITION": start,
        "LIMIT": limit,
    }
    if params.flag(q, "statsNameList", "N") == "Y":
        return await stats_names.get_stats_names(uow, parameter, w, lang=lang, start=start, limit=limit, units=units)
    order = "t.publish_at DESC, t.id DESC"
    if fast:
        query = await fast_query(uow, q)
        ids, total = await hits.page(uow, query, order=hits.ORDER_API, offset=start - 1, limit=limit)
    else:
        ids, total = await paging.ids_and_total(uow, w, order=order, offset=start - 1, limit=limit)
    rows = await table_refs.listed(uow, f"{table_refs.SELECT} AND t.id = ANY($1::bigint[]) ORDER BY {order}", ids)
    body: dict[str, Any] = {"RESULT": result(0 if rows else 1), "PARAMETER": parameter}
    inf: dict[str, Any] = {
        "NUMBER": total,
        "RESULT_INF": {"FROM_NUMBER": start if rows else 0, "TO_NUMBER": start + len(rows) - 1 if rows else 0},
    }
    if rows and start + len(rows) - 1 < total:
        inf["RESULT_INF"]["NEXT_KEY"] = start + len(rows)
    if rows:
        items = [table_refs.table_inf(r, explanation=explanation == "Y", lang=lang) for r in rows]
        inf["TABLE_INF"] = items[0] if len(items) == 1 else items
    body["DATALIST_INF"] = inf
    units.append(len(rows))
    return {"GET_STATS_LIST": body}


_ECHO = {
    "searchWord": "SEARCH_WORD",
    "surveyYears": "SURVEY_YEARS",
    "openYears": "OPEN_YEARS",
    "statsField": "STATS_FIELD",
    "statsCode": "STATS_CODE",
    "searchKind": "SEARCH_KIND",
    "collectArea": "COLLECT_AREA",
    "updatedDate": "UPDATED_DATE",
    "statsNameList": "STATS_NAME_LIST",
}


def _echo(q: Mapping[str, str]) -> dict[str, str]:
    return {_ECHO[k]: v for k, v in q.items() if k in _ECHO and v}

"""getStatsData and getMetaInfo (ESTAT-5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import data, params, table_refs, versions
from govstat.platform.subsystems.estat.api.faults import EstatFault, missing
from govstat.platform.subsystems.estat.api.inf import spec
from govstat.platform.subsystems.estat.api.result import result
from govstat.platform.subsystems.statdb import usage
from govstat.platform.subsystems.statdb.notes import annotation_inf, annotation_meanings, note_inf


async def resolve_dataset(uow: UnitOfWork, q: Mapping[str, str]) -> dict[str, str]:
    """A dataSetId stands for a statsDataId plus narrowing conditions; explicit parameters add to them."""
    if not q.get("dataSetId"):
        return dict(q)
    from govstat.platform.subsystems.estat.api.datasets import load

    ds = await load(uow, q["dataSetId"])
    return {**ds.conditions, "statsDataId": ds.stats_data_id, **{k: v for k, v in q.items() if k != "dataSetId"}}


async def get_stats_data(
    uow: UnitOfWork, q0: Mapping[str, str], *, units: list[int], count_usage: Callable[..., None] = usage.count
) -> dict[str, Any]:
    """`count_usage`: records the rows served in the table's usage figures (getStatsDatas holds them
    back until it knows its whole answer stands, bulk.py)."""
    q = await resolve_dataset(uow, q0)
    lang = params.lang(q)
    sid = params.stats_data_id(q)
    if sid is None:
        raise missing("statsDataId")
    narrowing = params.narrowings(q)
    start = params.integer(q, "startPosition", 1, 1, 10**9)
    limit = params.integer(q, "limit", params.MAX_LIMIT, 1, params.MAX_LIMIT)
    meta, count_only = params.flag(q, "metaGetFlg", "Y"), params.flag(q, "cntGetFlg", "N")
    explanation, annotation = params.flag(q, "explanationGetFlg", "Y"), params.flag(q, "annotationGetFlg", "Y")
    replace = params.replace_sp_chars(q)
    t = await table_refs.published(uow, sid)
    asked = await versions.requested(uow, q, t)  # govstat's extension: version=N reads an earlier version
    if meta == "Y":
        class_inf, dims = await table_refs.class_inf(uow, t.id, lang)
        class_inf = versions.class_inf(class_inf, asked)
    else:
        class_inf, dims = None, await table_refs.dims_of(uow, t.id)

    parameter: dict[str, Any] = {"LANG": lang, "STATS_DATA_ID": sid}
    if q.get("version"):
        parameter["VERSION"] = q["version"]
    if q0.get("dataSetId"):
        parameter["DATASET_ID"] = q0["dataSetId"]
    cond_echo = {k: v for n in narrowing for k, v in n.echo().items()}
    if cond_echo:
        parameter["NARROWING_COND"] = cond_echo
    parameter.update(
        {
            "DATA_FORMAT": "J",
            "START_POSITION": start,
            "LIMIT": limit,
            "METAGET_FLG": meta,
            "CNT_GET_FLG": count_only,
            "EXPLANATION_GET_FLG": explanation,
            "ANNOTATION_GET_FLG": annotation,
            "REPLACE_SP_CHARS": replace,
        }
    )

    where = data.where(t.id, dims, narrowing)
    total = 0 if where is None else (await versions.count(uow, where, asked) if narrowing else versions.total(t, asked))
    statistical: dict[str, Any] = {
        "RESULT_INF": {"TOTAL_NUMBER": total},
        "TABLE_INF": table_refs.table_inf(t, explanation=explanation == "Y", lang=lang),
    }
    body = {"RESULT": result(0), "PARAMETER": parameter, "STATISTICAL_DATA": statistical}
    if total == 0 or start > total:
        body["RESULT"] = result(1)
        return {"GET_STATS_DATA": body}
    if count_only == "Y" or where is None:  # no cells: total is 0 then
        return {"GET_STATS_DATA": body}
    values = await data.values(
        uow,
        dims,
        where,
        start=start,
        limit=limit,
        narrowed=bool(narrowing),
        replace=replace,
        annotations=annotation == "Y",
        asked=asked,
    )
    to = start + len(values) - 1
    statistical["RESULT_INF"].update({"FROM_NUMBER": start, "TO_NUMBER": to})
    if to < total:
        statistical["RESULT_INF"]["NEXT_KEY"] = to + 1
    if class_inf is not None:
        statistical["CLASS_INF"] = class_inf
    note = note_inf(t.notes, lang)
    used = {v["@annotation"] for v in values if "@annotation" in v}
    marks = annotation_inf(annotation_meanings(spec(t)), used, lang) if used else []
    statistical["DATA_INF"] = {
        **({"NOTE": note[0] if len(note) == 1 else note} if note else {}),
        **({"ANNOTATION": marks[0] if len(marks) == 1 else marks} if marks else {}),
        "VALUE": values[0] if len(values) == 1 else values,
    }
    versions.annotate(statistical, asked)
    units.append(len(values))
    count_usage(uow, t.id, t.tenant_id, t.status, api_rows=len(values))  # STATDB-3: API rows per table, for its owner
    return {"GET_STATS_DATA": body}


async def get_meta_info(uow: UnitOfWork, q: Mapping[str, str], *, units: list[int]) -> dict[str, Any]:
    lang = params.lang(q)
    sid = params.stats_data_id(q)
    explanation = params.flag(q, "explanationGetFlg", "Y")
    t = await table_refs.published(uow, sid)  # type: ignore[arg-type]
    class_inf, _ = await table_refs.class_inf(uow, t.id, lang)
    class_inf = versions.class_inf(class_inf, await versions.requested(uow, q, t))
    units.append(1)
    return {
        "GET_META_INFO": {
            "RESULT": result(0),
            "PARAMETER": {"LANG": lang, "STATS_DATA_ID": sid, "DATA_FORMAT": "J", "EXPLANATION_GET_FLG": explanation},
            "METADATA_INF": {
                "TABLE_INF": table_refs.table_inf(t, explanation=explanation == "Y", lang=lang),
                "CLASS_INF": class_inf,
            },
        }
    }


__all__ = ["EstatFault", "get_meta_info", "get_stats_data"]

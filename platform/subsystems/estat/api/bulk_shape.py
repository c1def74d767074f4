"""getStatsDatas' answer in e-Stat's shape (docs/estat-api-conformance.md, Sources: getStatsDatas).

e-Stat does not nest one getStatsData answer per request: it writes one RESULT for the whole call,
PARAMETER_LIST with one PARAMETER per request (`@requestNo`, numbered from 1 in the order of
statsDatasSpec), and STATISTICAL_DATA_LIST with RESULT_INF (TOTAL_NUMBER: all requests together),
TABLE_INF_LIST, CLASS_INF_LIST and DATA_INF_LIST, whose TABLE_INF, CLASS_INF and DATA_INF items each
carry the `@requestNo` of their request. A request that failed has only its PARAMETER; one that
matched nothing has no DATA_INF. The RESULT names the requests that did not answer in full, in the
words of e-Stat's STATUS 2 (リクエスト番号(n)で該当データはありませんでした) and 401 (リクエスト番号 n でエラー…).

Beyond e-Stat (no source shows where e-Stat writes a request's position): each DATA_INF carries its
request's RESULT_INF (TOTAL_NUMBER, FROM_NUMBER, TO_NUMBER and NEXT_KEY when its limit left more),
so a client can ask for the rest. A whole call refused (bulk.fault_answer) has RESULT and
PARAMETER_LIST only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from govstat.platform.subsystems.estat.api.faults import MESSAGES, MESSAGES_EN, english
from govstat.platform.subsystems.estat.api.result import result

Part = tuple[int, dict[str, Any]]  # (request number, that request's getStatsData answer: RESULT, PARAMETER, ...)


def _one_or_list(items: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    return items[0] if len(items) == 1 else items


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else ([] if v is None else [v])


def outcome(parts: list[Part], lang: str) -> dict[str, Any]:
    """The answer's RESULT: 0 when every request answered; 2 when some did not (each named);
    401 when none did."""
    failed = [(n, one["RESULT"]) for n, one in parts if one["RESULT"]["STATUS"] >= 100]
    empty = [str(n) for n, one in parts if one["RESULT"]["STATUS"] == 1]
    en = lang == "E"
    if not failed and not empty:
        return result(0, MESSAGES_EN[0] if en else MESSAGES[0])
    words = []
    if empty:
        nos = ",".join(empty)
        words.append(
            f"No data matched for request number ({nos})."
            if en
            else f"リクエスト番号({nos})で該当データはありませんでした。"
        )
    for n, r in failed:
        status, message = r["STATUS"], r["ERROR_MSG"]
        words.append(
            f"Request number {n}: error {status}: {english(status, message)}"
            if en
            else f"リクエスト番号 {n} でエラー{status}：{message}"
        )
    return result(401 if len(failed) == len(parts) else 2, " ".join(words))


def answer(parts: list[Part], lang: str) -> dict[str, Any]:
    """GET_STATS_DATAS from each request's getStatsData answer."""
    parameters, tables, classes, datas = [], [], [], []
    total = 0
    for n, one in parts:
        no = str(n)
        echo = {k: v for k, v in one.get("PARAMETER", {}).items() if k not in ("LANG", "DATA_FORMAT")}
        parameters.append({"@requestNo": no, **echo})
        sd = one.get("STATISTICAL_DATA")
        if not isinstance(sd, dict):
            continue
        total += int(sd["RESULT_INF"].get("TOTAL_NUMBER", 0))
        tables.append({"@requestNo": no, **sd["TABLE_INF"]})
        if "CLASS_INF" in sd:
            classes.append({"@requestNo": no, **sd["CLASS_INF"]})
        if "DATA_INF" in sd:
            datas.append({"@requestNo": no, "RESULT_INF": sd["RESULT_INF"], **sd["DATA_INF"]})
    data_list: dict[str, Any] = {"RESULT_INF": {"TOTAL_NUMBER": total}}
    if tables:
        data_list["TABLE_INF_LIST"] = {"TABLE_INF": _one_or_list(tables)}
    if classes:
        data_list["CLASS_INF_LIST"] = {"CLASS_INF": _one_or_list(classes)}
    if datas:
        data_list["DATA_INF_LIST"] = {"DATA_INF": _one_or_list(datas)}
    return {
        "GET_STATS_DATAS": {
            "RESULT": outcome(parts, lang),
            "PARAMETER_LIST": {"LANG": lang, "DATA_FORMAT": "J", "PARAMETER": _one_or_list(parameters)},
            "STATISTICAL_DATA_LIST": data_list,
        }
    }


def requests(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """Each request of a GET_STATS_DATAS answer: (its number, its PARAMETER, its STATISTICAL_DATA as
    getStatsData writes it, or None when the request answered no table)."""
    data_list = root.get("STATISTICAL_DATA_LIST", {})

    def by_no(list_name: str, item: str) -> dict[str, dict[str, Any]]:
        items = _as_list(data_list.get(list_name, {}).get(item))
        return {i["@requestNo"]: {k: v for k, v in i.items() if k != "@requestNo"} for i in items}

    tables, classes, datas = (
        by_no("TABLE_INF_LIST", "TABLE_INF"),
        by_no("CLASS_INF_LIST", "CLASS_INF"),
        by_no("DATA_INF_LIST", "DATA_INF"),
    )
    for p in _as_list(root.get("PARAMETER_LIST", {}).get("PARAMETER")):
        no = p["@requestNo"]
        parameter = {k: v for k, v in p.items() if k != "@requestNo"}
        if no not in tables:
            yield no, parameter, None
            continue
        sd: dict[str, Any] = {"TABLE_INF": tables[no]}
        if no in classes:
            sd["CLASS_INF"] = classes[no]
        if no in datas:
            data = dict(datas[no])
            sd["RESULT_INF"] = data.pop("RESULT_INF", {})
            sd["DATA_INF"] = data
        yield no, parameter, sd


def tables_of(root: dict[str, Any]) -> list[dict[str, Any]]:
    """The TABLE_INF items of a GET_STATS_DATAS answer (for lang=E's CYCLE)."""
    return _as_list(root.get("STATISTICAL_DATA_LIST", {}).get("TABLE_INF_LIST", {}).get("TABLE_INF"))

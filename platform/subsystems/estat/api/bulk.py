"""getStatsDatas: several getStatsData requests in one (statsDatasSpec), answered in e-Stat's shape
(bulk_shape.py). An error about the whole call (appId, statsDatasSpec itself, more than 100,000 values
in all) answers in that shape too: RESULT and PARAMETER_LIST, never getStatsData's lone PARAMETER
(`fault_answer`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import bulk_shape, echo, params
from govstat.platform.subsystems.estat.api.faults import EstatFault, english, invalid, missing
from govstat.platform.subsystems.estat.api.result import result
from govstat.platform.subsystems.estat.api.stats_data import get_stats_data
from govstat.platform.subsystems.statdb import usage

MAX_SPECS = 10
MAX_TOTAL = params.MAX_LIMIT  # values in one answer, all its requests together (more: STATUS 400, e-Stat's)


def specs(raw: str) -> list[dict[str, str]]:
    """statsDatasSpec: a JSON array of parameter objects, or query strings joined by '|'. Each value is
    a string or a number, as in a query string: a nested array or object is refused, and so is JSON
    nested deeper than Python's parser goes (RecursionError, which used to answer HTTP 500)."""
    raw = raw.strip()
    if not raw:
        raise missing("statsDatasSpec")
    if not raw.startswith("[") and raw.count("|") >= MAX_SPECS:
        raise invalid("statsDatasSpec", raw[:50])
    try:
        parsed = json.loads(raw) if raw.startswith("[") else [dict(parse_qsl(part)) for part in raw.split("|")]
    except (ValueError, RecursionError):
        raise invalid("statsDatasSpec", raw[:50]) from None
    if (
        not isinstance(parsed, list)
        or not parsed
        or len(parsed) > MAX_SPECS
        or not all(isinstance(p, dict) and all(isinstance(v, (str, int, float)) for v in p.values()) for p in parsed)
    ):
        raise invalid("statsDatasSpec", raw[:50])
    return [{str(k): str(v) for k, v in p.items()} for p in parsed]


async def get_stats_datas(uow: UnitOfWork, q: Mapping[str, str], *, units: list[int]) -> dict[str, Any]:
    """Requests whose answers would hold more than MAX_TOTAL values in all are refused as one call,
    STATUS 400, as e-Stat does (docs/estat-api-conformance.md, Error codes). Each request is asked for
    one value more than is left, so no more than MAX_TOTAL + 1 values are ever held (ten full requests
    used to build a million in memory); the rows' usage figures are recorded once the answer stands."""
    common = {k: v for k, v in q.items() if k not in ("statsDatasSpec", "appId")}
    parts: list[bulk_shape.Part] = []
    left = MAX_TOTAL
    held: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def hold(*args: Any, **kwargs: Any) -> None:
        held.append((args, kwargs))

    for n, spec in enumerate(specs(q.get("statsDatasSpec", "")), start=1):
        one_q = {**common, **spec}
        served = sum(units)
        try:
            asked = params.integer(one_q, "limit", params.MAX_LIMIT, 1, params.MAX_LIMIT)
            one = (
                await get_stats_data(
                    uow,
                    {**one_q, "limit": str(min(asked, left + 1))},
                    units=units,
                    count_usage=hold,
                )
            )["GET_STATS_DATA"]
            one["PARAMETER"]["LIMIT"] = asked  # the caller's limit, not what was left of the answer's
        except EstatFault as fault:
            one = {"RESULT": result(fault.status, fault.message), "PARAMETER": echo.parameter(spec)}
        left -= sum(units) - served
        if left < 0:
            units.clear()  # nothing is served
            raise EstatFault(400, f"合計 {MAX_TOTAL:,} 件まで / at most {MAX_TOTAL:,} values in all")
        parts.append((n, one))
    for args, kwargs in held:
        usage.count(*args, **kwargs)
    return bulk_shape.answer(parts, _lang(q))


def fault_answer(q: Mapping[str, str], status: int, message: str) -> dict[str, Any]:
    """An error about the whole call in getStatsDatas' shape: RESULT (in the language asked, as the
    answer's RESULT always is) and PARAMETER_LIST with one PARAMETER per request of statsDatasSpec
    when it can be read (LANG and DATA_FORMAT alone when it cannot); no STATISTICAL_DATA_LIST."""
    lang = _lang(q)
    try:
        requests = specs(q.get("statsDatasSpec", ""))
    except EstatFault:
        requests = []
    common = {k: v for k, v in q.items() if k not in ("statsDatasSpec", "appId", "lang")}
    parameters = [
        {"@requestNo": str(n), **{k: v for k, v in echo.parameter({**common, **spec}).items() if k != "LANG"}}
        for n, spec in enumerate(requests, start=1)
    ]
    listed: dict[str, Any] = {"LANG": lang, "DATA_FORMAT": "J"}
    if parameters:
        listed["PARAMETER"] = parameters[0] if len(parameters) == 1 else parameters
    text = english(status, message) if lang == "E" else message
    return {"GET_STATS_DATAS": {"RESULT": result(status, text), "PARAMETER_LIST": listed}}


def _lang(q: Mapping[str, str]) -> str:
    return "E" if q.get("lang") == "E" else "J"

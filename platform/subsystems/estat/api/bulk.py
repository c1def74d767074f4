"""getStatsDatas: several getStatsData requests in one (statsDatasSpec), answered in e-Stat's shape
(bulk_shape.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import bulk_shape, echo, params
from govstat.platform.subsystems.estat.api.faults import EstatFault, invalid, missing
from govstat.platform.subsystems.estat.api.result import result
from govstat.platform.subsystems.estat.api.stats_data import get_stats_data

MAX_SPECS = 10
MAX_TOTAL = params.MAX_LIMIT  # values in one answer, all its requests together


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
    """Each request's limit is cut to what is left of MAX_TOTAL: one answer holds at most as many values
    as one getStatsData (ten full requests used to build a million in memory). A part cut short has a
    NEXT_KEY; a part with nothing left answers STATUS 105 and is asked again on its own."""
    common = {k: v for k, v in q.items() if k not in ("statsDatasSpec", "appId")}
    parts: list[bulk_shape.Part] = []
    left = MAX_TOTAL
    for n, spec in enumerate(specs(q.get("statsDatasSpec", "")), start=1):
        one_q = {**common, **spec}
        try:
            asked = params.integer(one_q, "limit", params.MAX_LIMIT, 1, params.MAX_LIMIT)
            if left == 0 and one_q.get("cntGetFlg") != "Y":
                raise EstatFault(105, f"getStatsDatas: 合計 {MAX_TOTAL:,} 件まで / at most {MAX_TOTAL:,} values in all")
            served = sum(units)
            one = (await get_stats_data(uow, {**one_q, "limit": str(max(1, min(asked, left)))}, units=units))[
                "GET_STATS_DATA"
            ]
            left -= sum(units) - served
        except EstatFault as fault:
            one = {"RESULT": result(fault.status, fault.message), "PARAMETER": echo.parameter(spec)}
        parts.append((n, one))
    return bulk_shape.answer(parts, "E" if q.get("lang") == "E" else "J")

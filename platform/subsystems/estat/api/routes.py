"""The e-Stat API 3.0 paths: /rest/3.0/app/{fn} (XML), /json/{fn}, /jsonp/{fn}, and the CSV forms.

Every route is public on purpose (the caller is named by appId, checked here as e-Stat does,
answering STATUS 100 rather than HTTP 401); the gateway still rate-limits and meters each call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, Router, route
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import public
from govstat.platform.security import Principal
from govstat.platform.subsystems.estat.api import (
    bulk,
    catalog,
    data_format,
    datasets,
    echo,
    render,
    render_csv,
    stats_data,
    stats_list,
    versions,
)
from govstat.platform.subsystems.estat.api.english import in_english
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.api.params import require_app_id
from govstat.platform.subsystems.estat.api.result import result
from govstat.platform.web.deps import set_units

Fn = Callable[..., Awaitable[dict[str, Any]]]

FUNCTIONS: dict[str, tuple[str, Fn, tuple[str, ...]]] = {
    "getStatsList": ("GET_STATS_LIST", stats_list.get_stats_list, ("GET",)),
    "getMetaInfo": ("GET_META_INFO", stats_data.get_meta_info, ("GET",)),
    "getStatsData": ("GET_STATS_DATA", stats_data.get_stats_data, ("GET",)),
    "getDataCatalog": ("GET_DATA_CATALOG", catalog.get_data_catalog, ("GET",)),
    "getStatsDatas": ("GET_STATS_DATAS", bulk.get_stats_datas, ("GET", "POST")),
    "postDataset": ("POST_DATASET", datasets.post_dataset, ("POST", "GET")),
    "refDataset": ("REF_DATASET", datasets.ref_dataset, ("GET",)),
    "getStatsDataVersions": ("GET_STATS_DATA_VERSIONS", versions.get_stats_data_versions, ("GET",)),  # govstat's
}
OWNER_FUNCTIONS = {"postDataset", "refDataset"}  # these act for the appId's owner
CONTENT = {
    "xml": "application/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "jsonp": "application/javascript; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
# Answers are data, never documents: an XML answer a browser opens runs nothing (stricter than the
# pages' policy; nosniff and the rest come from platform/web/headers.py, which keeps this one).
HEADERS = {"content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox"}


async def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    q = dict(request.query_params)
    if request.method == "POST" and request.content_type[0] in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        q.update({k: str(v) for k, v in (await request.form()).items()})
    return q


async def answer(
    request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal, fn: str, fmt: str
) -> Response[bytes]:
    root, function, _ = FUNCTIONS[fn]
    q = await _params(request)
    units: list[int] = []
    callback = q.get("callback", "")
    if fmt == "jsonp" and not render.valid_callback(callback):
        body = _fault(fn, root, q, 102, "パラメータの値が不正です。（callback）", echoed=False)
        fmt = "json"
    else:
        try:
            require_app_id(q, principal.via == "app_id")
            kwargs = {"owner": principal.subject} if fn in OWNER_FUNCTIONS else {}
            body = await function(uow, q, units=units, **kwargs)
        except EstatFault as fault:
            body = _fault(fn, root, q, fault.status, fault.message)
    set_units(request, sum(units))
    data_format.stamp(body, fn, fmt)
    if q.get("lang") == "E":
        in_english(body)
    if fmt == "json":
        content = render.to_json(body)
    elif fmt == "jsonp":
        content = render.to_jsonp(body, callback)
    elif fmt == "csv":
        section = q.get("sectionHeaderFlg", "1") != "2"
        content = ("\ufeff" + render_csv.renderer(fn, body)(body, section)).encode()
    else:
        content = render.to_xml(body)
    return Response(content, media_type=CONTENT[fmt], headers=dict(HEADERS))


def _fault(fn: str, root: str, q: dict[str, str], status: int, message: str, *, echoed: bool = True) -> dict[str, Any]:
    """An error about the whole call: RESULT and the parameters echoed, in the function's own shape
    (getStatsDatas echoes a PARAMETER_LIST, bulk.py)."""
    if fn == "getStatsDatas":
        return bulk.fault_answer(q, status, message)
    return {root: {"RESULT": result(status, message), "PARAMETER": echo.parameter(q) if echoed else {}}}


def _handler(path: str, fn: str, fmt: str, methods: tuple[str, ...]) -> HTTPRouteHandler:
    async def handler(request: Request[Any, Any, Any], uow: UnitOfWork, principal: Principal) -> Response[bytes]:
        return await answer(request, uow, principal, fn, fmt)

    handler.__name__ = f"{fmt}_{fn}"
    op = "estat.api." + {"getStatsData": "data", "getStatsDatas": "data", "getSimpleStatsData": "data"}.get(fn, "meta")
    # HTTP 200 for POST too (not Litestar's 201): e-Stat answers every call with 200 and a STATUS
    return route(
        path,
        http_method=[HttpMethod(m) for m in methods],
        opt=public(op, csrf=False, app_id=True, writes=fn == "postDataset"),  # e-Stat's postDataset answers GET
        name=f"estat-{fmt}-{fn}",
        tags=["e-Stat API 3.0"],
        status_code=200,
    )(handler)


HANDLERS = []
for _fn, (_root, _f, _methods) in FUNCTIONS.items():
    HANDLERS.append(_handler(f"/rest/3.0/app/{_fn}", _fn, "xml", _methods))
    HANDLERS.append(_handler(f"/rest/3.0/app/json/{_fn}", _fn, "json", _methods))
    HANDLERS.append(_handler(f"/rest/3.0/app/jsonp/{_fn}", _fn, "jsonp", _methods))
HANDLERS.append(_handler("/rest/3.0/app/getSimpleStatsList", "getStatsList", "csv", ("GET",)))
HANDLERS.append(_handler("/rest/3.0/app/getSimpleStatsData", "getStatsData", "csv", ("GET",)))
HANDLERS.append(_handler("/rest/3.0/app/getSimpleMetaInfo", "getMetaInfo", "csv", ("GET",)))
HANDLERS.append(_handler("/rest/3.0/app/getSimpleDataCatalog", "getDataCatalog", "csv", ("GET",)))
HANDLERS.append(_handler("/rest/3.0/app/getSimpleStatsDatas", "getStatsDatas", "csv", ("GET", "POST")))

api = Router(path="/", route_handlers=HANDLERS)

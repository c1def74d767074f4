"""SDMX-REST data queries: /data/{flow}/{key}/{provider} (2.1) and
/data/dataflow/{agency}/{flow}/{version}/{key} (3.0), with startPeriod/endPeriod (3.0:
c[TIME_PERIOD]=ge:..+le:..), updatedAfter, includeHistory (history.py), ETags, and the format by
`format` or Accept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, Response

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.sdmx import (
    common,
    data_csv,
    data_json,
    data_xml,
    errors,
    flows,
    history,
    keys,
    negotiate,
    withdrawn,
)
from govstat.platform.subsystems.estat.sdmx.errors import SdmxError
from govstat.platform.subsystems.estat.sdmx.observations import Query, count, read
from govstat.platform.subsystems.statdb import usage
from govstat.platform.subsystems.statdb.revisions import read as revisions
from govstat.platform.web.deps import set_units

WRITERS = {"xml": data_xml.write, "json": data_json.write, "csv": data_csv.write}
_UNSUPPORTED = ("firstNObservations", "lastNObservations")


def flow_ref(ref: str) -> tuple[str, str, str]:
    """2.1's flow reference: `id`, `agency,id` or `agency,id,version`."""
    parts = ref.split(",")
    if len(parts) == 1:
        return flows.AGENCY, parts[0], "latest"
    if len(parts) == 2:
        return parts[0], parts[1], "latest"
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise SdmxError(400, f"flow {ref[:60]}: write id, agency,id or agency,id,version")


def _updated_after(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        raise SdmxError(400, f"updatedAfter={value[:40]} is not an ISO 8601 date-time") from None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def time_range(q: Any) -> tuple[str | None, str | None]:
    """startPeriod/endPeriod, or 3.0's c[TIME_PERIOD]=ge:2020+le:2021."""
    start, end = q.get("startPeriod"), q.get("endPeriod")
    for cond in (q.get("c[TIME_PERIOD]") or "").replace(",", "+").split("+"):
        op, _, value = cond.partition(":")
        if op == "ge":
            start = value
        elif op == "le":
            end = value
        elif op == "eq" or (cond and not value):
            start = end = value or op
    return start, end


def check_options(q: Any) -> None:
    for name in _UNSUPPORTED:
        if q.get(name):
            raise errors.not_implemented(name)
    if q.get("includeHistory", "false").lower() not in ("true", "false"):
        raise SdmxError(400, "includeHistory is true or false")
    if q.get("detail", "full") not in ("full", "dataonly"):
        raise errors.not_implemented(f"detail={q.get('detail', '')[:20]}")
    dim = q.get("dimensionAtObservation")
    if dim and dim != flows.TIME:
        raise errors.not_implemented(f"dimensionAtObservation={dim[:40]} (observations are by TIME_PERIOD)")


async def query(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    agency: str,
    flow_id: str,
    version: str,
    key: str | None,
    provider: str,
) -> Response[bytes]:
    q = request.query_params
    common.check_agency(agency)
    common.check_version(version)
    check_options(q)
    fmt = negotiate.data_format(request.headers.get("accept"), q.get("format"))
    start, end = time_range(q)
    query_ = Query(key, keys.bound(start, "startPeriod"), keys.bound(end, "endPeriod"))
    after = _updated_after(q.get("updatedAfter"))
    flow = await flows.load(uow, flow_id)
    if flow is None:
        g = await withdrawn.gone(uow, flow_id, q, after)  # asked for changes: the withdrawal as a Delete
        if g is not None:
            tag = common.etag(flow_id, g.at.isoformat(), request.url.path, request.url.query, fmt)
            return common.answer(withdrawn.write(g, fmt), negotiate.DATA[fmt], tag)
        raise errors.not_found(f"No dataflow {flow_id[:40]} of {flows.AGENCY}")
    if provider not in ("all", "ALL", "*", flows.AGENCY, flow.table.agency_code):
        raise errors.not_found(f"No data of provider {provider[:40]} in {flow.id}")
    if after is not None and flow.table.updated_at <= after:
        raise errors.not_found(f"No data of {flow.id} updated after {after.isoformat()}")
    tag = common.etag(flow.id, flow.table.updated_at.isoformat(), request.url.path, request.url.query, fmt)
    if common.not_modified(request, tag):
        return common.unchanged(tag)
    vintages = None
    if q.get("includeHistory", "false").lower() == "true":
        vintages = await history.vintages(uow, flow, query_, after)
        series = vintages[-1].series if vintages else []
        n = sum(count(v.series) for v in vintages)
    else:
        changed = None
        if after is not None:  # the cells corrected or appended since, not the whole table
            changed = revisions.changed_after(flow.table.id, await revisions.versions(uow, flow.table.id), after)
        series = await read(uow, flow, query_, changed=changed)
        n = count(series)
    if n == 0:
        raise errors.not_found(f"No observations of {flow.id} match the query")
    set_units(request, n)
    usage.count(uow, flow.table.id, flow.table.tenant_id, flow.table.status, api_rows=n)
    last = flow.table.updated_at.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    return common.answer(WRITERS[fmt](flow, series, vintages), negotiate.DATA[fmt], tag, {"last-modified": last})


async def v21(
    request: Request[Any, Any, Any], uow: UnitOfWork, flow: str, key: str | None, provider: str
) -> Response[bytes]:
    agency, flow_id, version = flow_ref(flow)
    return await query(request, uow, agency, flow_id, version, key, provider)

"""SDMX-REST under /sdmx/rest (2.1) and /sdmx/rest/v2 (3.0 paths). Every route is public, as the
e-Stat API's: the gateway rate-limits and meters each call (data by observations)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get
from litestar.handlers import HTTPRouteHandler

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import public
from govstat.platform.subsystems.estat.sdmx import common, dataquery, structurequery

BASE = "/sdmx/rest"
STRUCTURE_OP = public("estat.sdmx.structure")
DATA_OP = public("estat.sdmx.data")
TAGS = ["SDMX-REST"]


def _paths(prefix: str) -> list[str]:
    return [
        prefix,
        prefix + "/{agency:str}",
        prefix + "/{agency:str}/{resource_id:str}",
        prefix + "/{agency:str}/{resource_id:str}/{version:str}",
    ]


def _structure(kind: str) -> HTTPRouteHandler:
    async def handler(
        request: Request[Any, Any, Any],
        uow: UnitOfWork,
        agency: str = "all",
        resource_id: str = "all",
        version: str = "latest",
    ) -> Response[bytes]:
        return await common.guarded(lambda: structurequery.query(request, uow, kind, agency, resource_id, version))

    handler.__name__ = f"sdmx_{kind}"
    handler.__doc__ = f"SDMX {kind} (SDMX-ML 2.1 structure message; `references` adds related structures)."
    paths = _paths(f"{BASE}/{kind}") + _paths(f"{BASE}/v2/structure/{kind}")
    return get(paths, opt=STRUCTURE_OP, name=f"sdmx-{kind}", tags=TAGS)(handler)


@get(
    [
        f"{BASE}/{{kind:str}}/{{agency:str}}/{{resource_id:str}}/{{version:str}}",
        f"{BASE}/v2/structure/{{kind:str}}/{{agency:str}}/{{resource_id:str}}/{{version:str}}",
    ],
    opt=STRUCTURE_OP,
    name="sdmx-other-structures",
    tags=TAGS,
    include_in_schema=False,
)
async def other_structures(kind: str, agency: str, resource_id: str, version: str) -> Response[bytes]:
    """SDMX's other structure types (categoryscheme, contentconstraint, ...): 501; anything else 404."""
    return await structurequery.not_implemented(kind)


@get(
    [
        f"{BASE}/data/{{flow:str}}",
        f"{BASE}/data/{{flow:str}}/{{key:str}}",
        f"{BASE}/data/{{flow:str}}/{{key:str}}/{{provider:str}}",
    ],
    opt=DATA_OP,
    name="sdmx-data",
    tags=TAGS,
)
async def data(
    request: Request[Any, Any, Any], uow: UnitOfWork, flow: str, key: str = "all", provider: str = "all"
) -> Response[bytes]:
    """SDMX data of a flow (a published table's statsDataId) for a key: SDMX-ML structure-specific,
    SDMX-JSON or SDMX-CSV by `format` or Accept; startPeriod, endPeriod, updatedAfter."""
    return await common.guarded(lambda: dataquery.v21(request, uow, flow, key, provider))


@get(
    [
        f"{BASE}/v2/data/dataflow/{{agency:str}}/{{resource_id:str}}",
        f"{BASE}/v2/data/dataflow/{{agency:str}}/{{resource_id:str}}/{{version:str}}",
        f"{BASE}/v2/data/dataflow/{{agency:str}}/{{resource_id:str}}/{{version:str}}/{{key:str}}",
    ],
    opt=DATA_OP,
    name="sdmx-data-v2",
    tags=TAGS,
)
async def data_v2(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    agency: str,
    resource_id: str,
    version: str = "latest",
    key: str = "*",
) -> Response[bytes]:
    """SDMX 3.0 data path (answers in the 2.1 formats, named in Content-Type); c[TIME_PERIOD]=ge:..+le:.."""
    return await common.guarded(lambda: dataquery.query(request, uow, agency, resource_id, version, key, "all"))


sdmx = Router(
    path="/",
    route_handlers=[
        *(_structure(k) for k in structurequery.KINDS),
        other_structures,
        data,
        data_v2,
    ],
)

"""SDMX-REST structure queries: /{type}/{agency}/{id}/{version} for dataflow, datastructure,
codelist and conceptscheme (2.1 paths; 3.0's /structure/{type}/... answer the same, in SDMX-ML
2.1), with `references`. Other structure types answer 501."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.sdmx import common, errors, flows, negotiate, structure
from govstat.platform.subsystems.estat.sdmx.errors import SdmxError
from govstat.platform.subsystems.estat.sdmx.flows import Flow

KINDS = ("dataflow", "datastructure", "codelist", "conceptscheme")
NOT_IMPLEMENTED = (
    "agencyscheme",
    "categorisation",
    "categoryscheme",
    "contentconstraint",
    "actualconstraint",
    "allowedconstraint",
    "dataconsumerscheme",
    "dataproviderscheme",
    "hierarchicalcodelist",
    "hierarchy",
    "metadataflow",
    "metadatastructure",
    "organisationunitscheme",
    "process",
    "provisionagreement",
    "reportingtaxonomy",
    "structureset",
    "structure",
    "valuelist",
)
MAX_FULL = 50  # "all" with references: at most this many flows' structures in one message
# what `references` adds to each kind (SDMX-REST: children, descendants, parents, ...)
_DOWN = {"dataflow": {"datastructure"}, "datastructure": {"codelist", "conceptscheme"}}
_UP = {"datastructure": {"dataflow"}, "codelist": {"datastructure"}, "conceptscheme": {"datastructure"}}
_IDS = {"datastructure": "DSD_", "codelist": "CL_", "conceptscheme": "CS_"}


def parts(kind: str, references: str) -> set[str]:
    r = references.lower()
    if r in ("none", ""):
        return {kind}
    if r in KINDS:
        return {kind, r}
    if r == "children":
        return {kind, *_DOWN.get(kind, set())}
    if r in ("descendants", "all"):
        down = {kind, *_DOWN.get(kind, set())}
        if "datastructure" in down:
            down |= _DOWN["datastructure"]
        return down | (_UP.get(kind, set()) | {"datastructure"} if r == "all" and kind != "dataflow" else set())
    if r in ("parents", "parentsandsiblings"):
        up = {kind, *_UP.get(kind, set())}
        return up | ({"codelist", "conceptscheme"} if r == "parentsandsiblings" else set())
    raise SdmxError(400, f"references={references[:40]} is not an SDMX value")


def flow_of(kind: str, resource_id: str) -> str:
    """The flow (statsDataId) a structure's id names: DSD_x, CL_x_DIM, CS_x, or x for a dataflow."""
    if kind == "dataflow":
        return resource_id
    prefix = _IDS[kind]
    if not resource_id.startswith(prefix):
        raise errors.not_found(f"No {kind} {resource_id[:60]}")
    return resource_id[len(prefix) :].split("_", 1)[0]


async def query(
    request: Request[Any, Any, Any], uow: UnitOfWork, kind: str, agency: str, resource_id: str, version: str
) -> Response[bytes]:
    common.check_agency(agency)
    common.check_version(version)
    wanted = parts(kind, request.query_params.get("references", "none"))
    listed: list[PublishedTable] = []
    loaded: list[Flow] = []
    only = resource_id if kind == "codelist" and resource_id != "all" else None
    if resource_id in ("all", "*", "~"):
        listed = await flows.listed(uow)
        if len(listed) > flows.MAX_FLOWS:
            raise SdmxError(413, f"more than {flows.MAX_FLOWS} dataflows: ask for one")
        if wanted != {"dataflow"}:
            if len(listed) > MAX_FULL:
                raise SdmxError(413, f"{len(listed)} flows' {kind}s: ask for one flow's (at most {MAX_FULL} at once)")
            loaded = [f for t in listed if (f := await flows.load(uow, t.stats_data_id))]
            listed = []
    elif kind == "codelist" and resource_id == structure.STATUS_CL:
        wanted = {"codelist"}
    else:
        found = await flows.load(uow, flow_of(kind, resource_id))
        if found is None or (only and only not in {structure.cl_id(found.id, d.id) for d in found.dims}):
            raise errors.not_found(f"No {kind} {resource_id[:60]} of {flows.AGENCY}")
        loaded = [found]
    tag = common.etag(
        request.url.path,
        request.url.query,
        *(t.stats_data_id + str(t.updated_at) for t in listed),
        *(f.id + str(f.table.updated_at) for f in loaded),
    )
    if common.not_modified(request, tag):
        return common.unchanged(tag)
    body = structure.message(loaded, wanted, listed, only_codelist=only)
    return common.answer(body, negotiate.STRUCTURE_21, tag)


async def not_implemented(kind: str) -> Response[bytes]:
    if kind not in NOT_IMPLEMENTED:
        return errors.response(errors.not_found(f"No SDMX resource {kind[:40]}"))
    return errors.response(
        errors.not_implemented(f"{kind} queries (govstat answers dataflow, datastructure, codelist, conceptscheme)")
    )

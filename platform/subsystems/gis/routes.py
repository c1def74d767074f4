"""API of the statistical GIS, under /api/gis (GIS-1): boundaries, their areas, the boundaries' reload."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Router, get, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import Enqueued
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.gis import published
from govstat.platform.subsystems.gis.jobs import RELOAD
from govstat.platform.web.deps import set_units

Level = Literal["prefecture", "municipality"]
Pref = Annotated[str | None, Parameter(pattern=r"^[0-9]{2}$", description="2-digit prefecture code")]


class Boundaries(msgspec.Struct, kw_only=True):
    level: str
    vintage: str
    credit: str
    items: list[published.Boundary]


@get("/boundaries", opt=public("gis.read"))
async def list_boundaries(
    request: Request[Any, Any, Any], uow: UnitOfWork, level: Level = "prefecture", pref: Pref = None
) -> Boundaries:
    """The boundaries of a level (code, name, area in km² on the equal-area projection), vintage 2021-01-01."""
    rows = [b for b in await published.boundaries(uow, level) if pref is None or b.pref_code == pref]
    set_units(request, len(rows))
    return Boundaries(level=level, vintage=published.VINTAGE.isoformat(), credit=published.CREDIT, items=rows)


@post("/reload", opt=access(Role.OPERATOR, op="gis.maintain", audit=True), status_code=202)
async def reload(principal: Principal, uow: UnitOfWork) -> Enqueued:
    """Reload the shipped boundaries in the background (the worker runs job gis.load)."""
    job_id = await RELOAD.enqueue(requested_by=principal.subject)
    return Enqueued(job=RELOAD.job.name, job_id=job_id)


api = Router(path="/api/gis", route_handlers=[list_boundaries, reload])

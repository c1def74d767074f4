"""Incidents, planned maintenance, notices and the public status page (GOV-12, GOV-9).

The operator runs incidents and maintenance; agency admins and staff read the incidents that affect
their organisation and their own notices; anyone reads /status.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Router, delete, get, post, put
from litestar.params import Parameter, QueryParameter

from govstat.ops.incidents import lifecycle, maintenance, notices, service
from govstat.ops.incidents.rows import MaintenanceRow, NoticeRow, ReviewRow
from govstat.ops.incidents.schemas import (
    AgencyIncident,
    IncidentDetail,
    IncidentIn,
    IncidentList,
    IncidentView,
    MaintenanceIn,
    MaintenanceList,
    NoticeList,
    ReviewIn,
    Status,
    TransitionIn,
)
from govstat.ops.incidents.status import LABELS as STATUS_LABELS
from govstat.ops.incidents.status import build_status
from govstat.ops.incidents.texts import jst, module_names, ref
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Forbidden, InvalidInput
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.web.pages import page

OPERATOR = (Role.OPERATOR,)
READERS = (Role.OPERATOR, Role.MIC, Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
Limit = Annotated[int, Parameter(ge=1, le=500)]


def _tenant_of(principal: Principal) -> uuid.UUID | None:
    """None for the operator (every incident); the caller's own tenant otherwise."""
    if principal.is_operator:
        return None
    if principal.tenant_id is None:
        raise Forbidden("利用機関に属していません / no organisation")
    return principal.tenant_id


def _state_filter(state: str | None) -> str | None:
    if state and state != "open" and state not in lifecycle.STATES:
        raise InvalidInput.field("state", f"open または {', '.join(lifecycle.STATES)} / unknown state {state!r}")
    return state or None


# --- incidents API ------------------------------------------------------------------------------------


@get("/api/ops/incidents", opt=access(*READERS, op="ops.incidents", subscription=False))
async def list_incidents(
    uow: UnitOfWork,
    principal: Principal,
    limit: Limit = 50,
    state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
) -> IncidentList:
    """Incidents, newest first (`state`: one state, or `open`). Agencies see those affecting them."""
    return await service.list_incidents(
        uow, limit=limit, state=_state_filter(state_filter), tenant_id=_tenant_of(principal)
    )


@get("/api/ops/incidents/{incident_id:uuid}", opt=access(*READERS, op="ops.incidents", subscription=False))
async def get_incident(
    uow: UnitOfWork, principal: Principal, incident_id: uuid.UUID
) -> IncidentDetail | AgencyIncident:
    """The operator gets the timeline, review, alerts, affected agencies and deliveries; an agency the public part."""
    tenant_id = _tenant_of(principal)
    if tenant_id is None:
        return await service.operator_detail(uow, incident_id)
    return await service.agency_detail(uow, incident_id, tenant_id)


@post("/api/ops/incidents", opt=access(*OPERATOR, op="ops.incidents", subscription=False, audit=True))
async def open_incident(uow: UnitOfWork, catalog: Catalog, data: IncidentIn) -> IncidentView:
    """Open an incident by hand (state detected); the affected agencies are notified."""
    return service.public_view(await service.open_manual(uow, catalog, data))


@post(
    "/api/ops/incidents/{incident_id:uuid}/transition",
    status_code=200,
    opt=access(*OPERATOR, op="ops.incidents", subscription=False, audit=True),
)
async def transition(uow: UnitOfWork, catalog: Catalog, incident_id: uuid.UUID, data: TransitionIn) -> IncidentView:
    """Move the incident on (409 when the lifecycle does not allow it)."""
    return service.public_view(await service.transition(uow, catalog, incident_id, data))


@put(
    "/api/ops/incidents/{incident_id:uuid}/review",
    opt=access(*OPERATOR, op="ops.incidents", subscription=False, audit=True),
)
async def record_review(uow: UnitOfWork, incident_id: uuid.UUID, data: ReviewIn) -> ReviewRow:
    """The post-incident review: cause, prevention, owner and due date, all required."""
    return await service.record_review(uow, incident_id, data)


# --- maintenance API ----------------------------------------------------------------------------------


@get("/api/ops/maintenance", opt=access(*OPERATOR, op="ops.maintenance", subscription=False))
async def list_maintenance(uow: UnitOfWork, include_past: bool = False) -> MaintenanceList:
    return MaintenanceList(items=await maintenance.list_maintenance(uow, include_past=include_past))


@post("/api/ops/maintenance", opt=access(*OPERATOR, op="ops.maintenance", subscription=False, audit=True))
async def schedule_maintenance(uow: UnitOfWork, catalog: Catalog, data: MaintenanceIn) -> MaintenanceRow:
    """Schedule a window (one module, or all with module_key null); its alerts are suppressed."""
    return await maintenance.schedule_maintenance(uow, catalog, data)


@get("/api/ops/maintenance/{window_id:uuid}", opt=access(*OPERATOR, op="ops.maintenance", subscription=False))
async def get_maintenance(uow: UnitOfWork, window_id: uuid.UUID) -> MaintenanceRow:
    return await maintenance.get_maintenance(uow, window_id)


@put(
    "/api/ops/maintenance/{window_id:uuid}", opt=access(*OPERATOR, op="ops.maintenance", subscription=False, audit=True)
)
async def update_maintenance(
    uow: UnitOfWork, catalog: Catalog, window_id: uuid.UUID, data: MaintenanceIn
) -> MaintenanceRow:
    return await maintenance.update_maintenance(uow, catalog, window_id, data)


@delete(
    "/api/ops/maintenance/{window_id:uuid}",
    status_code=200,
    opt=access(*OPERATOR, op="ops.maintenance", subscription=False, audit=True),
)
async def cancel_maintenance(uow: UnitOfWork, window_id: uuid.UUID) -> MaintenanceRow:
    """Cancel a window (kept, with cancelled_at)."""
    return await maintenance.cancel_maintenance(uow, window_id)


# --- notices (agencies) -------------------------------------------------------------------------------


@get("/api/ops/notices", opt=access(*READERS, op="ops.notices", subscription=False))
async def list_notices(
    uow: UnitOfWork, principal: Principal, limit: Limit = 50, unread: bool = False, tenant: uuid.UUID | None = None
) -> NoticeList:
    """The caller's organisation's notices, newest first (the operator may pick a tenant or see all)."""
    tenant_id = tenant if principal.is_operator else _tenant_of(principal)
    return await notices.list_notices(uow, tenant_id=tenant_id, limit=limit, unread_only=unread)


@post(
    "/api/ops/notices/{notice_id:uuid}/read",
    status_code=200,
    opt=access(*READERS, op="ops.notices", subscription=False),
)
async def read_notice(uow: UnitOfWork, principal: Principal, notice_id: uuid.UUID) -> NoticeRow:
    return await notices.mark_notice_read(uow, notice_id, _tenant_of(principal))


# --- public status ------------------------------------------------------------------------------------


@get("/api/status", opt=public("ops.status"))
async def status_api(uow: UnitOfWork, catalog: Catalog) -> Status:
    """Each subsystem's state now and over 90 days, recent incidents and planned maintenance."""
    return await build_status(uow, catalog)


# --- pages --------------------------------------------------------------------------------------------

HELPERS = {
    "jst": jst,
    "ref": ref,
    "state_label": lifecycle.label,
    "module_names": module_names,
    "status_labels": STATUS_LABELS,
    "severity_labels": lifecycle.SEVERITY_LABELS,
    "state_labels": lifecycle.LABELS,
    "all_states": lifecycle.STATES,
}


@get("/status", opt=public("ops.status"), include_in_schema=False)
async def status_page(request: Request, uow: UnitOfWork, catalog: Catalog) -> Any:
    return page(request, "incidents/status.html", status=await build_status(uow, catalog), **HELPERS)


@get("/ops/incidents", opt=access(*READERS, op="ops.incidents", subscription=False), include_in_schema=False)
async def incidents_page(
    request: Request,
    uow: UnitOfWork,
    principal: Principal,
    catalog: Catalog,
    state_filter: Annotated[str, QueryParameter(name="state")] = "",
) -> Any:
    tenant_id = _tenant_of(principal)
    state = state_filter
    data = await service.list_incidents(uow, limit=200, state=_state_filter(state), tenant_id=tenant_id)
    windows = await maintenance.list_maintenance(uow) if tenant_id is None else []
    return page(
        request,
        "incidents/list.html",
        incidents=data.items,
        total=data.total,
        state=state,
        windows=windows,
        operator=tenant_id is None,
        subsystems=catalog.subsystems,
        **HELPERS,
    )


@get(
    "/ops/incidents/{incident_id:uuid}",
    opt=access(*READERS, op="ops.incidents", subscription=False),
    include_in_schema=False,
)
async def incident_page(request: Request, uow: UnitOfWork, principal: Principal, incident_id: uuid.UUID) -> Any:
    tenant_id = _tenant_of(principal)
    if tenant_id is None:
        incident = await service.operator_detail(uow, incident_id)
    else:
        incident = await service.agency_detail(uow, incident_id, tenant_id)
    return page(request, "incidents/detail.html", incident=incident, operator=tenant_id is None, **HELPERS)


@get("/ops/notices", opt=access(*READERS, op="ops.notices", subscription=False), include_in_schema=False)
async def notices_page(request: Request, uow: UnitOfWork, principal: Principal) -> Any:
    tenant_id = None if principal.is_operator else _tenant_of(principal)
    data = await notices.list_notices(uow, tenant_id=tenant_id, limit=200)
    return page(
        request,
        "incidents/notices.html",
        notices=data.items,
        unread=data.unread,
        operator=principal.is_operator,
        **HELPERS,
    )


router = Router(
    path="/",
    route_handlers=[
        list_incidents,
        get_incident,
        open_incident,
        transition,
        record_review,
        list_maintenance,
        schedule_maintenance,
        get_maintenance,
        update_maintenance,
        cancel_maintenance,
        list_notices,
        read_notice,
        status_api,
        status_page,
        incidents_page,
        incident_page,
        notices_page,
    ],
    tags=["ops / 障害管理"],
)

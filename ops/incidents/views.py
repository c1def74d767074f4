"""Reading incidents: the operators' list and detail, the agencies' view of what affects them, and
the public updates the status page shows (GOV-12)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from govstat.ops.incidents import lifecycle
from govstat.ops.incidents.rows import (
    INCIDENT_COLUMNS,
    AffectedTenant,
    AlertSummary,
    DeliveryRow,
    IncidentRow,
    PublicUpdate,
    PublicUpdateRow,
    ReviewRow,
    TimelineEntry,
)
from govstat.ops.incidents.schemas import AgencyIncident, IncidentDetail, IncidentList, IncidentView
from govstat.ops.incidents.texts import ref
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound

V = TypeVar("V", bound=IncidentView)


def public_view(incident: IncidentRow, view: type[V] = IncidentView, **more: Any) -> V:  # type: ignore[assignment]
    """The incident as the dashboard, agencies and the status page see it (`view`: with `more`)."""
    return view(
        id=incident.id,
        number=incident.number,
        ref=ref(incident.number),
        module_key=incident.module_key,
        title=incident.title,
        severity=incident.severity,
        state=incident.state,
        source=incident.source,
        detected_at=incident.detected_at,
        mitigated_at=incident.mitigated_at,
        recovered_at=incident.recovered_at,
        closed_at=incident.closed_at,
        updated_at=incident.updated_at,
        **more,
    )


async def get_incident(uow: UnitOfWork, incident_id: uuid.UUID, *, for_update: bool = False) -> IncidentRow:
    return await uow.one(
        IncidentRow,
        f"SELECT {INCIDENT_COLUMNS} FROM incident WHERE id = $1" + (" FOR UPDATE" if for_update else ""),
        incident_id,
        what=f"incident {incident_id} ",
    )


async def list_incidents(
    uow: UnitOfWork, *, limit: int, state: str | None = None, tenant_id: uuid.UUID | None = None
) -> IncidentList:
    """Newest first. With `tenant_id`: only the incidents affecting that tenant (agencies' view)."""
    w = Where()
    if state == "open":
        w.any("state", sorted(lifecycle.OPEN))
    else:
        w.eq("state", state)
    if tenant_id is not None:
        w.add(
            "EXISTS (SELECT 1 FROM incident_affected a WHERE a.incident_id = incident.id AND a.tenant_id = {})",
            tenant_id,
        )
    total = await uow.fetchval(f"SELECT count(*) FROM incident WHERE {w}", *w.args)
    rows = await uow.rows(
        IncidentRow,
        f"SELECT {INCIDENT_COLUMNS} FROM incident WHERE {w} ORDER BY detected_at DESC, number DESC LIMIT {int(limit)}",
        *w.args,
    )
    return IncidentList(total=total, items=[public_view(r) for r in rows])


async def affects(uow: UnitOfWork, incident_id: uuid.UUID, tenant_id: uuid.UUID) -> bool:
    return bool(
        await uow.fetchval(
            "SELECT 1 FROM incident_affected WHERE incident_id = $1 AND tenant_id = $2", incident_id, tenant_id
        )
    )


async def public_updates(uow: UnitOfWork, incident_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[PublicUpdate]]:
    rows = await uow.rows(
        PublicUpdateRow,
        "SELECT incident_id, at, state, body FROM incident_public_update"
        " WHERE incident_id = ANY($1::uuid[]) ORDER BY id",
        incident_ids,
    )
    out: dict[uuid.UUID, list[PublicUpdate]] = {i: [] for i in incident_ids}
    for r in rows:
        out[r.incident_id].append(PublicUpdate(at=r.at, state=r.state, body=r.body))
    return out


async def operator_detail(uow: UnitOfWork, incident_id: uuid.UUID) -> IncidentDetail:
    """Everything about one incident: timeline, review, alerts, affected agencies, deliveries."""
    incident = await get_incident(uow, incident_id)
    timeline = await uow.rows(
        TimelineEntry,
        "SELECT t.id, t.at, t.kind, t.from_state, t.to_state, t.note, t.public_note, t.actor, t.actor_kind,"
        " u.display_name AS actor_name FROM incident_timeline t"
        " LEFT JOIN directory_user u ON u.id::text = t.actor WHERE t.incident_id = $1 ORDER BY t.id",
        incident_id,
    )
    review = await uow.row(
        ReviewRow,
        "SELECT cause, prevention, owner, due_on, updated_by, updated_at FROM incident_review WHERE incident_id = $1",
        incident_id,
    )
    alerts = await uow.rows(
        AlertSummary,
        "SELECT external_ref, module_key, severity, title, detected_at, last_state, cleared_at"
        " FROM incident_alert WHERE incident_id = $1 ORDER BY detected_at",
        incident_id,
    )
    affected = await uow.rows(
        AffectedTenant,
        "SELECT t.id, t.code, t.name_ja FROM incident_affected a JOIN directory_tenant t ON t.id = a.tenant_id"
        " WHERE a.incident_id = $1 ORDER BY t.code",
        incident_id,
    )
    deliveries = await uow.rows(
        DeliveryRow,
        "SELECT n.id, n.tenant_id, t.code AS tenant_code, n.step, n.contact_role, n.email, n.status, n.attempts,"
        " n.last_error, n.created_at, n.sent_at FROM incident_notification n JOIN directory_tenant t ON t.id = n.tenant_id"
        " WHERE n.incident_id = $1 ORDER BY n.step, t.code, n.contact_role DESC",
        incident_id,
    )
    return public_view(
        incident,
        IncidentDetail,
        detail=incident.detail,
        created_by=incident.created_by,
        allowed=lifecycle.allowed(incident.state),
        timeline=timeline,
        updates=(await public_updates(uow, [incident_id]))[incident_id],
        review=review,
        alerts=alerts,
        affected=affected,
        notifications=deliveries,
    )


async def agency_detail(uow: UnitOfWork, incident_id: uuid.UUID, tenant_id: uuid.UUID) -> AgencyIncident:
    """An agency sees an incident that affects it: its header and public updates only."""
    if not await affects(uow, incident_id, tenant_id):
        raise NotFound(f"incident {incident_id} が見つかりません / not found")
    incident = await get_incident(uow, incident_id)
    return public_view(incident, AgencyIncident, updates=(await public_updates(uow, [incident_id]))[incident_id])

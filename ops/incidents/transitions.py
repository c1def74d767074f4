"""Moving an incident through its lifecycle and recording its post-incident review (GOV-12), inside
the caller's unit of work."""

from __future__ import annotations

import uuid

from govstat.ops.incidents import lifecycle
from govstat.ops.incidents.affected import notify
from govstat.ops.incidents.changes import MODULE, add_timeline, record_event, required
from govstat.ops.incidents.rows import INCIDENT_COLUMNS, IncidentRow, ReviewRow
from govstat.ops.incidents.schemas import ReviewIn, TransitionIn
from govstat.ops.incidents.texts import DEFAULT_PUBLIC_NOTES, ref
from govstat.ops.incidents.views import get_incident
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.audit import audit


async def transition(uow: UnitOfWork, catalog: Catalog, incident_id: uuid.UUID, data: TransitionIn) -> IncidentRow:
    incident = await get_incident(uow, incident_id, for_update=True)
    return await move(uow, catalog, incident, data.to, note=data.note, public_note=data.public_note)


async def move(
    uow: UnitOfWork, catalog: Catalog, incident: IncidentRow, to: str, *, note: str = "", public_note: str = ""
) -> IncidentRow:
    """Move an incident to `to` (the lifecycle allowing it): timeline, event, audit, and the
    recovery notice when it recovers."""
    previous = incident.state
    lifecycle.check(previous, to)
    if to == "review":
        has_review = await uow.fetchval("SELECT 1 FROM incident_review WHERE incident_id = $1", incident.id)
        if not has_review:
            raise InvalidTransition(
                "事後検証（原因・再発防止策・担当者・期限）を先に登録してください"
                " / record the post-incident review first (cause, prevention, owner, due date)",
                state=previous,
                to=to,
                missing=["cause", "prevention", "owner", "due_on"],
            )
    stamps = {
        "monitoring": "mitigated_at = coalesce(mitigated_at, now())",
        "recovered": "recovered_at = now()",
        "closed": "closed_at = now()",
    }
    extra = f", {stamps[to]}" if to in stamps else ""
    updated = await uow.one(
        IncidentRow,
        f"UPDATE incident SET state = $2, updated_at = now(){extra} WHERE id = $1 RETURNING {INCIDENT_COLUMNS}",
        incident.id,
        to,
    )
    if not public_note.strip() and to in ("monitoring", "recovered"):
        public_note = DEFAULT_PUBLIC_NOTES[to]
    await add_timeline(
        uow, incident.id, kind="transition", from_state=previous, to_state=to, note=note, public_note=public_note
    )
    await record_event(uow, updated, previous=previous)
    await audit(
        uow,
        "incident.transitioned",
        tenant_id=None,
        target_type="incident",
        target_id=incident.id,
        module=MODULE,
        ref=ref(updated.number),
        from_state=previous,
        to_state=to,
    )
    if to == "recovered":
        await notify(uow, catalog, updated, "recovered")
    return updated


async def record_review(uow: UnitOfWork, incident_id: uuid.UUID, data: ReviewIn) -> ReviewRow:
    incident = await get_incident(uow, incident_id, for_update=True)
    if incident.state == "closed":
        raise InvalidTransition("終了した障害の事後検証は変更できません / the incident is closed", state="closed")
    values = {f: required(f, getattr(data, f)) for f in ("cause", "prevention", "owner")}
    review = await uow.one(
        ReviewRow,
        "INSERT INTO incident_review (incident_id, cause, prevention, owner, due_on, updated_by)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (incident_id) DO UPDATE SET cause = excluded.cause,"
        " prevention = excluded.prevention, owner = excluded.owner, due_on = excluded.due_on,"
        " updated_by = excluded.updated_by, updated_at = now()"
        " RETURNING cause, prevention, owner, due_on, updated_by, updated_at",
        incident_id,
        values["cause"],
        values["prevention"],
        values["owner"],
        data.due_on,
        uow.scope.actor,
    )
    await add_timeline(
        uow,
        incident_id,
        kind="review",
        from_state=incident.state,
        to_state=incident.state,
        note=f"事後検証を登録 / review recorded (owner {values['owner']}, due {data.due_on.isoformat()})",
    )
    await audit(
        uow,
        "incident.review_recorded",
        tenant_id=None,
        target_type="incident",
        target_id=incident_id,
        module=MODULE,
        ref=ref(incident.number),
        owner=values["owner"],
        due_on=data.due_on.isoformat(),
    )
    return review

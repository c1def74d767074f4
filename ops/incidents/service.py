"""Incident use cases (GOV-12). Each runs inside the caller's unit of work (one transaction):
the change, its timeline entry, its public update, its IncidentPayload event and its audit event
commit together, and the notifications it owes are rows of the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any, TypeVar

import msgspec

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
from govstat.ops.incidents.schemas import (
    AgencyIncident,
    IncidentDetail,
    IncidentIn,
    IncidentList,
    IncidentView,
    ReviewIn,
    TransitionIn,
)
from govstat.ops.incidents.texts import DEFAULT_PUBLIC_NOTES, notice_text, ref
from govstat.platform.catalog import Catalog
from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit
from govstat.platform.events.envelope import IncidentPayload, new_event
from govstat.tenants import directory

log = logging.getLogger("govstat.ops.incidents")

# Our own IncidentPayload events carry this in detail["source"]: the consumer of the incident topic
# skips them (they are facts about incidents, not alerts that open one).
SOURCE = "ops.incidents"
MODULE = "ops"
V = TypeVar("V", bound=IncidentView)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_module(catalog: Catalog, field: str, key: str | None) -> None:
    """A module key names a subsystem of the catalog (None: the whole platform)."""
    if key is not None and key not in catalog.subsystem_keys:
        raise InvalidInput.field(field, f"未知のサブシステムです / unknown subsystem {key!r}")


def required(field: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput.field(field, "必須です / required")
    return value


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


# --- reading ------------------------------------------------------------------------------------------


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


# --- changing -----------------------------------------------------------------------------------------


async def add_timeline(
    uow: UnitOfWork,
    incident_id: uuid.UUID,
    *,
    kind: str,
    from_state: str | None,
    to_state: str,
    note: str = "",
    public_note: str = "",
) -> int:
    entry_id = await uow.fetchval(
        "INSERT INTO incident_timeline (incident_id, kind, from_state, to_state, note, public_note, actor, actor_kind)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        incident_id,
        kind,
        from_state,
        to_state,
        note.strip(),
        public_note.strip(),
        uow.scope.actor,
        uow.scope.role,
    )
    if public_note.strip():
        await uow.execute(
            "INSERT INTO incident_public_update (incident_id, timeline_id, at, state, body)"
            " SELECT incident_id, id, at, to_state, public_note FROM incident_timeline WHERE id = $1",
            entry_id,
        )
    return entry_id


async def record_event(uow: UnitOfWork, incident: IncidentRow, *, previous: str | None, **extra: Any) -> None:
    """The IncidentPayload of a change, in the outbox of the same transaction (PLAT-3)."""
    detail = {"source": SOURCE, "ref": ref(incident.number), "from": previous, **extra}
    await uow.record(
        new_event(
            IncidentPayload(
                incident_id=str(incident.id),
                module=incident.module_key or "",
                state=incident.state,
                severity=incident.severity,
                title=incident.title,
                detail=msgspec.to_builtins({k: v for k, v in detail.items() if v is not None}),
            ),
            None,
        )
    )


async def affected_tenant_ids(uow: UnitOfWork, module_key: str | None) -> list[uuid.UUID]:
    """Active agencies subscribing to the module today (every active agency when module_key is None)."""
    return await directory.subscribers(uow, module_key, today_jst())


async def open_incident(
    uow: UnitOfWork,
    catalog: Catalog,
    *,
    module_key: str | None,
    title: str,
    severity: str,
    source: str,
    detected_at: dt.datetime | None = None,
    detail: dict[str, Any] | None = None,
    note: str = "",
    public_note: str = "",
) -> IncidentRow:
    """A new incident in state 'detected': its affected agencies, notices and e-mails come with it."""
    incident_id = uuid.uuid4()
    incident = await uow.one(
        IncidentRow,
        f"INSERT INTO incident (id, module_key, title, severity, state, source, detail, detected_at, created_by)"
        f" VALUES ($1, $2, $3, $4, 'detected', $5, $6::jsonb, $7, $8) RETURNING {INCIDENT_COLUMNS}",
        incident_id,
        module_key,
        required("title", title),
        severity,
        source,
        json.dumps(msgspec.to_builtins(detail or {})),
        detected_at or now(),
        uow.scope.actor,
    )
    await uow.execute(
        "INSERT INTO incident_affected (incident_id, tenant_id) SELECT $1, unnest($2::uuid[])",
        incident_id,
        await affected_tenant_ids(uow, module_key),
    )
    await add_timeline(
        uow,
        incident_id,
        kind="transition",
        from_state=None,
        to_state="detected",
        note=note,
        public_note=public_note or DEFAULT_PUBLIC_NOTES["detected"],
    )
    await record_event(uow, incident, previous=None, opened_by=source)
    await audit(
        uow,
        "incident.opened",
        tenant_id=None,
        target_type="incident",
        target_id=incident_id,
        module=MODULE,
        ref=ref(incident.number),
        module_key=module_key,
        severity=severity,
        source=source,
    )
    await notify(uow, catalog, incident, "detected")
    return incident


async def open_manual(uow: UnitOfWork, catalog: Catalog, data: IncidentIn) -> IncidentRow:
    check_module(catalog, "module_key", data.module_key)
    return await open_incident(
        uow,
        catalog,
        module_key=data.module_key,
        title=data.title,
        severity=data.severity,
        source="manual",
        note=data.note,
        public_note=data.public_note,
    )


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


# --- notifying (GOV-12: agencies are told when it happens and after recovery) ---------------------------


async def notify(uow: UnitOfWork, catalog: Catalog, incident: IncidentRow, step: str) -> list[uuid.UUID]:
    """A notice for each affected agency and one pending e-mail per current primary and deputy contact;
    the e-mails are sent by the ops.incident_notify job, enqueued once this transaction commits (and
    found again by the sweep if that enqueue is lost)."""
    tenants: list[uuid.UUID] = await uow.fetchval(
        "SELECT coalesce(array_agg(tenant_id ORDER BY tenant_id), '{}') FROM incident_affected WHERE incident_id = $1",
        incident.id,
    )
    if not tenants:
        return []
    title, body = notice_text(catalog, incident, step)
    await uow.execute(
        "INSERT INTO notice (id, tenant_id, incident_id, step, title, body)"
        " SELECT gen_random_uuid(), t, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS t"
        " ON CONFLICT (tenant_id, incident_id, step) WHERE incident_id IS NOT NULL DO NOTHING",
        tenants,
        incident.id,
        step,
        title,
        body,
    )
    await uow.execute(
        "INSERT INTO incident_notification (id, incident_id, tenant_id, step, contact_role, email)"
        " SELECT gen_random_uuid(), $2, c.tenant_id, $3, c.role, c.email FROM directory_contact c"
        " WHERE c.tenant_id = ANY($1::uuid[]) AND c.role IN ('primary', 'deputy')"
        " ON CONFLICT (incident_id, step, tenant_id, contact_role) DO NOTHING",
        tenants,
        incident.id,
        step,
    )
    incident_id = incident.id

    async def enqueue_after_commit() -> None:
        from govstat.ops.incidents.notify import enqueue_notifications

        await enqueue_notifications([(incident_id, step, t) for t in tenants])

    uow.after_commit(enqueue_after_commit)
    return tenants

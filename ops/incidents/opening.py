"""Opening an incident (GOV-12), from an alert or by hand: the incident, its affected agencies, its
timeline entry, event, audit event and notices commit in the caller's unit of work."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import msgspec

from govstat.ops.incidents.affected import affected_tenant_ids, notify
from govstat.ops.incidents.changes import MODULE, add_timeline, check_module, now, record_event, required
from govstat.ops.incidents.rows import INCIDENT_COLUMNS, IncidentRow
from govstat.ops.incidents.schemas import IncidentIn
from govstat.ops.incidents.texts import DEFAULT_PUBLIC_NOTES, ref
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit


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

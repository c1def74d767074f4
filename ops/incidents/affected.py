"""Which agencies an incident affects, and telling them (GOV-12: agencies are told when it happens and
after recovery): notices and pending e-mails are rows of the caller's transaction."""

from __future__ import annotations

import uuid

from govstat.ops.incidents.rows import IncidentRow
from govstat.ops.incidents.texts import notice_text
from govstat.platform.catalog import Catalog
from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.tenants import directory


async def affected_tenant_ids(uow: UnitOfWork, module_key: str | None) -> list[uuid.UUID]:
    """Active agencies subscribing to the module today (every active agency when module_key is None)."""
    return await directory.subscribers(uow, module_key, today_jst())


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

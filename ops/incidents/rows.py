"""Rows of the incident tables and of the incident queries (msgspec Structs; issue 9: never dicts).

Fields are the queries' columns (tables.py and piccolo_migrations/ops_0002_incidents.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

INCIDENT_COLUMNS = (
    "id, number, module_key, title, severity, state, source, detail, detected_at, mitigated_at,"
    " recovered_at, closed_at, created_by, updated_at"
)
MAINTENANCE_COLUMNS = (
    "id, module_key, starts_at, ends_at, description, created_by, created_at, updated_at, cancelled_at"
)


class IncidentRow(msgspec.Struct, kw_only=True):
    """障害: one incident (module_key None: the whole platform)."""

    id: uuid.UUID
    number: int
    module_key: str | None
    title: str
    severity: str
    state: str
    source: str  # manual | sla
    detail: dict[str, Any]
    detected_at: dt.datetime
    mitigated_at: dt.datetime | None
    recovered_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_by: str
    updated_at: dt.datetime


class AlertRow(msgspec.Struct, kw_only=True):
    """An SLA alert as the incident topic brought it: part of an incident, or suppressed by maintenance."""

    external_ref: str
    module_key: str
    severity: str
    title: str
    disposition: str  # incident | suppressed
    incident_id: uuid.UUID | None
    maintenance_id: uuid.UUID | None
    detected_at: dt.datetime
    last_state: str
    cleared_at: dt.datetime | None
    received_at: dt.datetime


class AlertSummary(msgspec.Struct, kw_only=True):
    """An incident's alert on its operator page."""

    external_ref: str
    module_key: str
    severity: str
    title: str
    detected_at: dt.datetime
    last_state: str
    cleared_at: dt.datetime | None


class TimelineEntry(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    kind: str  # transition | review | alert | escalation
    from_state: str | None
    to_state: str
    note: str
    public_note: str
    actor: str
    actor_kind: str
    actor_name: str | None  # the user's display name, when the actor is a user


class PublicUpdate(msgspec.Struct, kw_only=True):
    """What agencies and the status page are told at a step."""

    at: dt.datetime
    state: str
    body: str


class PublicUpdateRow(PublicUpdate, kw_only=True):
    incident_id: uuid.UUID


class ReviewRow(msgspec.Struct, kw_only=True):
    """The post-incident review (事後検証)."""

    cause: str
    prevention: str
    owner: str
    due_on: dt.date
    updated_by: str
    updated_at: dt.datetime


class AffectedTenant(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    name_ja: str


class DeliveryRow(msgspec.Struct, kw_only=True):
    """One e-mail to a contact person of an affected agency, and how its sending went."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_code: str
    step: str
    contact_role: str
    email: str
    status: str  # pending | sent | failed
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class PendingDelivery(msgspec.Struct, kw_only=True):
    """A delivery about to be sent, with the name of the tenant it goes to."""

    id: uuid.UUID
    incident_id: uuid.UUID
    step: str
    contact_role: str
    email: str
    tenant_name: str


class DeliveryWork(msgspec.Struct, kw_only=True):
    """One notify job's work: an incident's step for one tenant."""

    incident_id: uuid.UUID
    step: str
    tenant_id: uuid.UUID


class MaintenanceRow(msgspec.Struct, kw_only=True):
    """計画保守: a window in which a module's (or, module_key None, every module's) alerts are expected."""

    id: uuid.UUID
    module_key: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    cancelled_at: dt.datetime | None


class NoticeRow(msgspec.Struct, kw_only=True):
    """お知らせ: a notice on an agency's portal about an incident that affects it."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    incident_id: uuid.UUID | None
    step: str | None
    title: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None

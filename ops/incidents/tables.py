"""Piccolo classes of the incident tables (DDL, constraints and RLS in piccolo_migrations/ops_0002_incidents.py)."""

from piccolo.columns import JSONB, UUID, BigInt, BigSerial, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (PICCOLO_CONF before any table class)


class MaintenanceWindow(Table, tablename="maintenance_window"):
    id = UUID(primary_key=True)
    module_key = Varchar(length=32, null=True, default=None)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    description = Text()
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()
    cancelled_at = Timestamptz(null=True, default=None)


class Incident(Table, tablename="incident"):
    id = UUID(primary_key=True)
    number = BigSerial()
    module_key = Varchar(length=32, null=True, default=None)
    title = Text()
    severity = Varchar(length=16)
    state = Varchar(length=16)
    source = Varchar(length=16)
    detail = JSONB()
    detected_at = Timestamptz()
    mitigated_at = Timestamptz(null=True, default=None)
    recovered_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    created_by = Text()
    updated_at = Timestamptz()


class IncidentAlert(Table, tablename="incident_alert"):
    external_ref = Text(primary_key=True)
    module_key = Varchar(length=32)
    severity = Varchar(length=16)
    title = Text()
    disposition = Varchar(length=16)
    incident_id = UUID(null=True, default=None)
    maintenance_id = UUID(null=True, default=None)
    detected_at = Timestamptz()
    last_state = Varchar(length=16)
    cleared_at = Timestamptz(null=True, default=None)
    received_at = Timestamptz()


class IncidentTimeline(Table, tablename="incident_timeline"):
    id = BigSerial(primary_key=True)
    incident_id = UUID()
    at = Timestamptz()
    kind = Varchar(length=16)
    from_state = Varchar(length=16, null=True, default=None)
    to_state = Varchar(length=16)
    note = Text()
    public_note = Text()
    actor = Text()
    actor_kind = Text()


class IncidentPublicUpdate(Table, tablename="incident_public_update"):
    id = BigSerial(primary_key=True)
    incident_id = UUID()
    timeline_id = BigInt()
    at = Timestamptz()
    state = Varchar(length=16)
    body = Text()


class IncidentReview(Table, tablename="incident_review"):
    incident_id = UUID(primary_key=True)
    cause = Text()
    prevention = Text()
    owner = Text()
    due_on = Date()
    updated_by = Text()
    updated_at = Timestamptz()


class IncidentAffected(Table, tablename="incident_affected"):
    incident_id = UUID(primary_key=True)  # the real key is (incident_id, tenant_id)
    tenant_id = UUID()


class IncidentNotification(Table, tablename="incident_notification"):
    id = UUID(primary_key=True)
    incident_id = UUID()
    tenant_id = UUID()
    step = Varchar(length=16)
    contact_role = Varchar(length=8)
    email = Text()
    status = Varchar(length=8)
    attempts = Integer()
    last_error = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class Notice(Table, tablename="notice"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    incident_id = UUID(null=True, default=None)
    step = Varchar(length=16, null=True, default=None)
    title = Text()
    body = Text()
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)


TABLES = [
    MaintenanceWindow,
    Incident,
    IncidentAlert,
    IncidentTimeline,
    IncidentPublicUpdate,
    IncidentReview,
    IncidentAffected,
    IncidentNotification,
    Notice,
]

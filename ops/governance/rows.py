"""Rows of the governance records (tables.py) as msgspec Structs (issue 9: never dicts).

Fields are the tables' columns (piccolo_migrations/ops_0004_governance.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class Row(msgspec.Struct, kw_only=True):
    pass


# --- briefings (説明会, GOV-10)
class BriefingRequestRow(Row, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    module_key: str | None
    topic: str
    note: str
    state: str  # requested | scheduled | declined
    requested_by: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None


class BriefingRow(Row, kw_only=True):
    id: uuid.UUID
    kind: str  # annual | on_request | other
    fiscal_year: int
    module_key: str | None
    title: str
    description: str
    request_id: uuid.UUID | None
    created_by: str
    created_at: dt.datetime


class SessionRow(Row, kw_only=True):
    id: uuid.UUID
    briefing_id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    online: bool
    online_url: str
    capacity: int
    cancelled_at: dt.datetime | None
    created_at: dt.datetime


class RegistrationRow(Row, kw_only=True):
    id: uuid.UUID
    session_id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    attendee_name: str
    registered_by: str
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None
    attended: bool | None
    attendance_recorded_at: dt.datetime | None
    attendance_recorded_by: str | None


# --- regulations (規程類, GOV-8)
class RegulationRow(Row, kw_only=True):
    id: uuid.UUID
    code: str
    kind: str
    title_ja: str
    title_en: str
    binds_agencies: bool
    created_at: dt.datetime


class VersionHeader(Row, kw_only=True):
    """A version of a regulation without its text."""

    id: uuid.UUID
    regulation_id: uuid.UUID
    version: str
    effective_on: dt.date
    council_decision_id: uuid.UUID | None
    state: str  # draft | in_force | superseded
    in_force_at: dt.datetime | None
    superseded_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime


class VersionRow(VersionHeader, kw_only=True):
    body: str


class AcknowledgementRow(Row, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    version_id: uuid.UUID
    acknowledged_by: str
    acknowledged_at: dt.datetime


class Unacknowledged(Row, kw_only=True):
    """An active agency that has not acknowledged a binding version in force."""

    regulation: str  # its code
    title_ja: str
    version_id: uuid.UUID
    version: str
    in_force_at: dt.datetime | None
    tenant_id: uuid.UUID
    tenant_code: str
    tenant_name: str


# --- improvement and change requests (改善要望・個別改修等, GOV-16, GOV-5)
class AgencyRequestRow(Row, kw_only=True):
    id: uuid.UUID
    number: str  # IR-2026-00001, CR-2026-00001
    kind: str  # improvement | change
    tenant_id: uuid.UUID
    module_key: str | None
    title: str
    body: str
    state: str
    council_decision_id: uuid.UUID | None
    cost_yen: int | None
    cost_fixed_at: dt.datetime | None
    cost_occurred_on: dt.date | None
    report_ref: str | None
    reported_on: dt.date | None
    submitted_by: str
    submitted_at: dt.datetime
    updated_at: dt.datetime


class AgencyRequestEventRow(Row, kw_only=True):
    id: uuid.UUID
    request_id: uuid.UUID
    tenant_id: uuid.UUID
    action: str
    state_from: str
    state_to: str
    at: dt.datetime
    actor: str
    note: str


# --- the liaison meeting (担当者会議, GOV-7)
class MeetingRow(Row, kw_only=True):
    id: uuid.UUID
    title: str
    held_at: dt.datetime
    place: str
    minutes: str
    minutes_recorded_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime


class AgendaItemRow(Row, kw_only=True):
    id: uuid.UUID
    meeting_id: uuid.UUID
    position: int
    kind: str
    title: str
    presenter: str


class AttendanceRow(Row, kw_only=True):
    id: uuid.UUID
    meeting_id: uuid.UUID
    tenant_id: uuid.UUID
    contact_person_id: uuid.UUID
    attended: bool
    attendee_name: str
    recorded_by: str
    recorded_at: dt.datetime


class Member(Row, kw_only=True):
    """A member of the liaison meeting: a tenant's primary contact (the operator's is the secretariat)."""

    tenant_id: uuid.UUID
    tenant_code: str
    tenant_name: str
    tenant_kind: str
    secretariat: bool
    contact_person_id: uuid.UUID
    name: str
    division: str
    email: str
    phone: str
    valid_from: dt.datetime


# --- the security audit (セキュリティ監査, GOV-15)
class AuditRow(Row, kw_only=True):
    id: uuid.UUID
    fiscal_year: int
    auditor: str
    scope: str
    started_on: dt.date
    completed_on: dt.date | None
    summary: str
    created_by: str
    created_at: dt.datetime


class FindingRow(Row, kw_only=True):
    id: uuid.UUID
    audit_id: uuid.UUID
    title: str
    description: str
    severity: str  # critical | high | medium | low | info
    module_key: str | None
    status: str  # open | closed
    closed_at: dt.datetime | None
    created_at: dt.datetime


class ActionRow(Row, kw_only=True):
    """A follow-up action of a finding."""

    id: uuid.UUID
    finding_id: uuid.UUID
    description: str
    owner: str
    due_on: dt.date
    status: str  # open | in_progress | done
    done_at: dt.datetime | None
    created_at: dt.datetime

"""Piccolo classes of the governance records (DDL in piccolo_migrations/ops_0004_governance.py)."""

from piccolo.columns import UUID, BigInt, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (PICCOLO_CONF before any table class)


class BriefingRequest(Table, tablename="briefing_request"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    module_key = Varchar(length=32, null=True, default=None)
    topic = Text()
    note = Text()
    state = Varchar(length=12, default="requested")
    requested_by = Text()
    requested_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)


class Briefing(Table, tablename="briefing"):
    id = UUID(primary_key=True)
    kind = Varchar(length=12)
    fiscal_year = Integer()
    module_key = Varchar(length=32, null=True, default=None)
    title = Text()
    description = Text()
    request_id = UUID(null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()


class BriefingSession(Table, tablename="briefing_session"):
    id = UUID(primary_key=True)
    briefing_id = UUID()
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    place = Text()
    online = Boolean(default=False)
    online_url = Text()
    capacity = Integer()
    cancelled_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class BriefingRegistration(Table, tablename="briefing_registration"):
    id = UUID(primary_key=True)
    session_id = UUID()
    tenant_id = UUID()
    user_id = UUID()
    attendee_name = Text()
    registered_by = Text()
    registered_at = Timestamptz()
    cancelled_at = Timestamptz(null=True, default=None)
    attended = Boolean(null=True, default=None)
    attendance_recorded_at = Timestamptz(null=True, default=None)
    attendance_recorded_by = Text(null=True, default=None)


class Regulation(Table, tablename="regulation"):
    id = UUID(primary_key=True)
    code = Varchar(length=40)
    kind = Varchar(length=16)
    title_ja = Text()
    title_en = Text()
    binds_agencies = Boolean()
    created_at = Timestamptz()


class RegulationVersion(Table, tablename="regulation_version"):
    id = UUID(primary_key=True)
    regulation_id = UUID()
    version = Varchar(length=16)
    body = Text()
    effective_on = Date()
    council_decision_id = UUID(null=True, default=None)
    state = Varchar(length=12, default="draft")
    in_force_at = Timestamptz(null=True, default=None)
    superseded_at = Timestamptz(null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()


class Acknowledgement(Table, tablename="regulation_acknowledgement"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    version_id = UUID()
    acknowledged_by = Text()
    acknowledged_at = Timestamptz()


class AgencyRequest(Table, tablename="agency_request"):
    id = UUID(primary_key=True)
    number = Varchar(length=24)
    kind = Varchar(length=12)
    tenant_id = UUID()
    module_key = Varchar(length=32, null=True, default=None)
    title = Text()
    body = Text()
    state = Varchar(length=12, default="submitted")
    council_decision_id = UUID(null=True, default=None)
    cost_yen = BigInt(null=True, default=None)
    cost_fixed_at = Timestamptz(null=True, default=None)
    cost_occurred_on = Date(null=True, default=None)
    report_ref = Text(null=True, default=None)
    reported_on = Date(null=True, default=None)
    submitted_by = Text()
    submitted_at = Timestamptz()
    updated_at = Timestamptz()


class AgencyRequestEvent(Table, tablename="agency_request_event"):
    id = UUID(primary_key=True)
    request_id = UUID()
    tenant_id = UUID()
    action = Varchar(length=16)
    state_from = Varchar(length=12)
    state_to = Varchar(length=12)
    at = Timestamptz()
    actor = Text()
    note = Text()


class LiaisonMeeting(Table, tablename="liaison_meeting"):
    id = UUID(primary_key=True)
    title = Text()
    held_at = Timestamptz()
    place = Text()
    minutes = Text()
    minutes_recorded_at = Timestamptz(null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()


class AgendaItem(Table, tablename="liaison_agenda_item"):
    id = UUID(primary_key=True)
    meeting_id = UUID()
    position = Integer()
    kind = Varchar(length=16)
    title = Text()
    presenter = Text()


class Attendance(Table, tablename="liaison_attendance"):
    id = UUID(primary_key=True)
    meeting_id = UUID()
    tenant_id = UUID()
    contact_person_id = UUID()
    attended = Boolean()
    attendee_name = Text()
    recorded_by = Text()
    recorded_at = Timestamptz()


class SecurityAudit(Table, tablename="security_audit"):
    id = UUID(primary_key=True)
    fiscal_year = Integer()
    auditor = Text()
    scope = Text()
    started_on = Date()
    completed_on = Date(null=True, default=None)
    summary = Text()
    created_by = Text()
    created_at = Timestamptz()


class Finding(Table, tablename="security_finding"):
    id = UUID(primary_key=True)
    audit_id = UUID()
    title = Text()
    description = Text()
    severity = Varchar(length=8)
    module_key = Varchar(length=32, null=True, default=None)
    status = Varchar(length=8, default="open")
    closed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class FollowUp(Table, tablename="security_action"):
    id = UUID(primary_key=True)
    finding_id = UUID()
    description = Text()
    owner = Text()
    due_on = Date()
    status = Varchar(length=12, default="open")
    done_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


ALL = [
    BriefingRequest,
    Briefing,
    BriefingSession,
    BriefingRegistration,
    Regulation,
    RegulationVersion,
    Acknowledgement,
    AgencyRequest,
    AgencyRequestEvent,
    LiaisonMeeting,
    AgendaItem,
    Attendance,
    SecurityAudit,
    Finding,
    FollowUp,
]

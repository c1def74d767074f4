"""Shapes of the governance API (msgspec Structs): requests (unknown fields are refused) and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from govstat.ops.governance.rows import (
    ActionRow,
    AgencyRequestEventRow,
    AgencyRequestRow,
    AgendaItemRow,
    AttendanceRow,
    AuditRow,
    BriefingRequestRow,
    BriefingRow,
    FindingRow,
    MeetingRow,
    RegistrationRow,
    RegulationRow,
    SessionRow,
    VersionHeader,
)

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Topic = Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
Note = Annotated[str, msgspec.Meta(max_length=4000)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=20000)]
Ref = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
ModuleKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,32}$")]
FiscalYear = Annotated[int, msgspec.Meta(ge=2000, le=2100, description="年度 (April-March)")]
Yen = Annotated[int, msgspec.Meta(gt=0, le=10**12, description="whole yen")]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class DecisionIn(Base, kw_only=True):
    """A council decision (協議会の決定) the operator enters, with its date and reference."""

    subject: Literal["regulation", "change_request", "improvement_request"]
    tenant_id: uuid.UUID | None = None
    outcome: Literal["approved", "rejected"]
    decided_on: dt.date
    reference: Ref
    summary: Note = ""


# --- briefings (GOV-10)
class BriefingRequestIn(Base, kw_only=True):
    module_key: ModuleKey | None = None
    topic: Topic
    note: Note = ""


class BriefingIn(Base, kw_only=True):
    kind: Literal["annual", "on_request", "other"]
    fiscal_year: FiscalYear
    module_key: ModuleKey | None = None
    title: Topic
    description: Note = ""
    request_id: uuid.UUID | None = None


class SessionIn(Base, kw_only=True):
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Annotated[str, msgspec.Meta(max_length=400)] = ""
    online: bool = False
    online_url: Annotated[str, msgspec.Meta(max_length=400, pattern=r"^(https://\S+)?$")] = ""
    capacity: Annotated[int, msgspec.Meta(ge=1, le=10000)]


class RegistrationIn(Base, kw_only=True):
    user_id: uuid.UUID | None = None  # an agency administrator may register a colleague


class AttendanceIn(Base, kw_only=True):
    registration_id: uuid.UUID
    attended: bool


# --- regulations (GOV-8)
class RegulationIn(Base, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_-]{1,39}$")]
    kind: Literal["operation_rules", "usage_rules", "security", "procedure", "other"]
    title_ja: Title
    title_en: Annotated[str, msgspec.Meta(max_length=200)] = ""
    binds_agencies: bool


class VersionIn(Base, kw_only=True):
    version: Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]{0,15}$")]
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=200000)]
    effective_on: dt.date
    council_decision_id: uuid.UUID | None = None


class VersionDecisionIn(Base, kw_only=True):
    council_decision_id: uuid.UUID


# --- improvement and change requests (GOV-16, GOV-5)
class AgencyRequestIn(Base, kw_only=True):
    kind: Literal["improvement", "change"]
    module_key: ModuleKey | None = None
    title: Title
    body: Text


class StepIn(Base, kw_only=True):
    note: Note = ""


class DecideIn(Base, kw_only=True):
    outcome: Literal["accepted", "rejected"]
    council_decision_id: uuid.UUID | None = None  # required after deliberation at the council
    note: Note = ""


class CostIn(Base, kw_only=True):
    amount_yen: Yen
    occurred_on: dt.date | None = None
    note: Note = ""


class ReportIn(Base, kw_only=True):
    report_ref: Ref
    reported_on: dt.date


# --- liaison meeting (GOV-7)
class AgendaItemIn(Base, kw_only=True):
    kind: Literal["annual_report", "annual_plan", "regulation", "request", "other"] = "other"
    title: Topic
    presenter: Annotated[str, msgspec.Meta(max_length=200)] = ""


class MeetingIn(Base, kw_only=True):
    title: Title
    held_at: dt.datetime
    place: Annotated[str, msgspec.Meta(max_length=400)] = ""
    agenda: Annotated[list[AgendaItemIn], msgspec.Meta(max_length=50)] = []


class MinutesIn(Base, kw_only=True):
    minutes: Annotated[str, msgspec.Meta(min_length=1, max_length=200000)]


class MeetingAttendanceIn(Base, kw_only=True):
    tenant_id: uuid.UUID
    attended: bool
    attendee_name: Annotated[str, msgspec.Meta(max_length=200)] = ""


# --- security audit (GOV-15)
class AuditIn(Base, kw_only=True):
    fiscal_year: FiscalYear
    auditor: Title
    scope: Note = ""
    started_on: dt.date


class AuditCompleteIn(Base, kw_only=True):
    completed_on: dt.date
    summary: Annotated[str, msgspec.Meta(max_length=20000)] = ""


class FindingIn(Base, kw_only=True):
    title: Topic
    description: Annotated[str, msgspec.Meta(max_length=20000)] = ""
    severity: Literal["critical", "high", "medium", "low", "info"]
    module_key: ModuleKey | None = None


class FollowUpIn(Base, kw_only=True):
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    owner: Title
    due_on: dt.date


class FollowUpStatusIn(Base, kw_only=True):
    status: Literal["open", "in_progress", "done"]


# --- answers ------------------------------------------------------------------------------------------


class SessionView(SessionRow, kw_only=True):
    seats_left: int | None  # None once cancelled
    registrations: list[RegistrationRow]  # those the caller may see


class BriefingView(BriefingRow, kw_only=True):
    sessions: list[SessionView]


class BriefingOverview(msgspec.Struct, kw_only=True):
    briefings: list[BriefingView]
    requests: list[BriefingRequestRow]


class VersionView(VersionHeader, kw_only=True):
    acknowledged: bool  # by the caller's tenant


class RegulationView(RegulationRow, kw_only=True):
    versions: list[VersionView]  # newest first
    in_force: VersionView | None


class AgencyRequestDetail(AgencyRequestRow, kw_only=True):
    events: list[AgencyRequestEventRow]


class NewMeeting(MeetingRow, kw_only=True):
    agenda: list[AgendaItemRow]


class MeetingView(NewMeeting, kw_only=True):
    attendance: list[AttendanceRow]  # that the caller may see


class AuditView(AuditRow, kw_only=True):
    findings: int
    open_findings: int


class ActionView(ActionRow, kw_only=True):
    overdue: bool


class OpenFinding(FindingRow, kw_only=True):
    fiscal_year: int | None  # of its audit
    actions: list[ActionView]
    overdue: bool  # any action is

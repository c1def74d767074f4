"""The figures of the yearly reports and the plan, as msgspec Structs.

A report is built from the read models into one of these, rendered (page, CSV, XLSX) from it, and
stored as its JSON when issued: an issued report is decoded back into the same Struct, so it renders
exactly as it was, whatever the read models say later.
"""

from __future__ import annotations

import datetime as dt

import msgspec


class S(msgspec.Struct, kw_only=True):
    pass


# --- usage and availability ---------------------------------------------------------------------------


class Counts(S, kw_only=True):
    calls: int = 0
    units: int = 0
    errors: int = 0  # answered 5xx (server errors)
    client_errors: int = 0  # answered 4xx


class MonthCounts(Counts, kw_only=True):
    month: str  # 'YYYY-MM' (JST)


class TenantCounts(Counts, kw_only=True):
    tenant_id: str | None  # None: callers without a tenant (the public)
    code: str
    name: str


class Availability(S, kw_only=True):
    calls: int
    errors: int
    availability: float | None  # % of calls answered without a server error (sla_minute)
    target: float  # % (slo, or the default)
    met: bool | None
    monthly: list[float | None]  # per month of the year, % (None: no calls)


class SubsystemUsage(S, kw_only=True):
    key: str
    name_ja: str
    name_en: str
    total: Counts
    monthly: list[MonthCounts]
    tenants: list[TenantCounts]
    availability: Availability | None = None
    incidents: int = 0
    outage_minutes: float = 0.0  # summed detection-to-recovery time of its incidents


# --- incidents ----------------------------------------------------------------------------------------


class PublicUpdate(S, kw_only=True):
    at: dt.datetime
    state: str
    body: str


class IncidentEntry(S, kw_only=True):
    ref: str
    module_key: str | None  # None: the whole system (政府統計共同利用センター)
    module_name: str
    title: str
    severity: str
    state: str
    source: str  # sla (detected by the burn-rate alert) | manual
    detected_at: dt.datetime
    mitigated_at: dt.datetime | None
    recovered_at: dt.datetime | None
    closed_at: dt.datetime | None
    duration_minutes: float | None  # detection to recovery
    mitigation_minutes: float | None  # detection to the fault stopping (monitoring)
    affected_tenants: int
    notified_detected: int  # agencies whose contacts were e-mailed when it happened
    notified_recovered: int  # ... and after recovery (GOV-12)
    cause: str = ""
    prevention: str = ""
    review_owner: str = ""
    review_due_on: dt.date | None = None
    updates: list[PublicUpdate] = []


# --- the annual report to the liaison meeting (GOV-13) --------------------------------------------------


class AnnualReport(S, kw_only=True):
    kind: str = "annual"
    fiscal_year: int
    months: list[str]
    generated_at: dt.datetime
    subsystems: list[SubsystemUsage]
    total: Counts
    monthly_total: list[MonthCounts]
    incidents: list[IncidentEntry]
    incidents_per_month: list[int]
    sla_available: bool  # sla_minute had figures for the year


# --- the report to MIC (総務省への運用状況報告) --------------------------------------------------------------


class KindStatus(S, kw_only=True):
    kind: str
    status: str
    tenants: int


class ContractFigures(S, kw_only=True):
    bulk_references: list[str]  # MIC's bulk contracts covering the year (GOV-3)
    constituents_covered: int
    approved_in_force: int  # approved bodies' contracts in force at some time of the year
    approved_signed: int
    approved_ended: int


class IncidentFigures(S, kw_only=True):
    total: int
    by_severity: dict[str, int]
    recovered: int
    reviewed: int
    outage_minutes: float
    platform_wide: int


class TargetFigures(S, kw_only=True):
    met: int
    missed: int
    pending: int
    met_rate: float | None  # % of met among met + missed


class HelpdeskFigures(S, kw_only=True):
    tickets: int
    by_channel: dict[str, int]
    by_requester: dict[str, int]
    first_response: TargetFigures
    resolution: TargetFigures
    out_of_hours_charged: int


class BriefingFigures(S, kw_only=True):
    sessions_held: int
    by_kind: dict[str, int]  # sessions held per briefing kind
    registrations: int
    attended: int
    requests: int  # briefing requests received in the year


class RequestFigures(S, kw_only=True):
    improvement_submitted: int
    change_submitted: int
    completed: int  # done or reported to the council in the year


class MicReport(S, kw_only=True):
    kind: str = "mic"
    fiscal_year: int
    generated_at: dt.datetime
    tenants: list[KindStatus]
    tenants_activated: dict[str, int]  # per kind, activated during the year
    contracts: ContractFigures
    usage: list[SubsystemUsage]  # totals only (no per-tenant rows)
    usage_total: Counts
    incidents: IncidentFigures
    helpdesk: HelpdeskFigures
    briefings: BriefingFigures
    requests: RequestFigures
    security_audit: str  # the year's security audit (GOV-15) in one line


# --- the annual operation plan (GOV-14) ---------------------------------------------------------------


class SurveyStatus(S, kw_only=True):
    survey_id: str
    title: str
    deadline: dt.datetime
    asked: int
    answered: int
    missing: list[str]  # names of the agencies that have not answered


class PlannedLoad(S, kw_only=True):
    key: str
    name_ja: str
    monthly_calls: list[int]  # per month of the year: the sum of the answers
    heavy_tenants: list[int]  # per month: agencies naming it a month of heavy use
    total_calls: int
    tenants_planning: int  # answers with a level other than none
    levels: dict[str, int]
    without_figures: int  # answers giving a level but no numbers
    previous_year_calls: int  # actual calls in the year before (usage_minute)


class ProposedSession(S, kw_only=True):
    key: str
    name_ja: str
    month: str | None  # 'YYYY-MM'; None: no wish, the yearly briefing still to be placed
    requests: int  # agencies asking for this subsystem in this month
    participants: int
    sessions: int  # sessions proposed (participants over the session capacity)


class Comment(S, kw_only=True):
    tenant: str
    text: str


class Plan(S, kw_only=True):
    kind: str = "plan"
    fiscal_year: int
    months: list[str]
    generated_at: dt.datetime
    survey: SurveyStatus | None
    loads: list[PlannedLoad]
    briefings: list[ProposedSession]
    briefing_requests_per_month: list[int]
    session_capacity: int
    comments: list[Comment]


Report = AnnualReport | MicReport | Plan
REPORT_TYPES: dict[str, type[AnnualReport] | type[MicReport] | type[Plan]] = {
    "annual": AnnualReport,
    "mic": MicReport,
    "plan": Plan,
}

"""Rows the reports read (usage, availability, incidents, issued versions) as msgspec Structs
(issue 9: queries answer Structs, never dicts). Fields are the queries' columns; the report and
plan figures built from them are models.py."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.ops.reports.models import Counts, PublicUpdate


class Row(msgspec.Struct, kw_only=True):
    pass


# --- usage.py: usage_minute (ops) and the SLA read model (sla_minute, slo: the gateway's) -------------


class UsageMonthRow(Counts, kw_only=True):
    """One subsystem's calls in one month (JST)."""

    module: str
    month: str  # 'YYYY-MM'


class UsageTenantRow(Counts, kw_only=True):
    """One subsystem's calls by one tenant over the year (tenant_id None: the public)."""

    module: str
    tenant_id: uuid.UUID | None
    code: str | None
    name_ja: str | None


class SlaMonthRow(Row, kw_only=True):
    module_key: str
    month: str  # 'YYYY-MM' (JST)
    calls: int
    errors: int


class SloTargetRow(Row, kw_only=True):
    module_key: str
    availability_target: float  # %


# --- incidents.py ---------------------------------------------------------------------------------------


class IncidentRow(Row, kw_only=True):
    """An incident with its review (None: not reviewed) and how many agencies it touched and told."""

    id: uuid.UUID
    number: int
    module_key: str | None
    title: str
    severity: str
    state: str
    source: str
    detected_at: dt.datetime
    mitigated_at: dt.datetime | None
    recovered_at: dt.datetime | None
    closed_at: dt.datetime | None
    cause: str | None
    prevention: str | None
    owner: str | None
    due_on: dt.date | None
    affected: int
    notified_detected: int
    notified_recovered: int


class PublicUpdateRow(PublicUpdate, kw_only=True):
    incident_id: uuid.UUID


# --- issue.py: report_issue, and the liaison meetings a report can be presented at -------------------------


class IssueRow(Row, kw_only=True):
    """An issued report or plan, without its figures."""

    id: uuid.UUID
    kind: str  # annual | mic | plan
    fiscal_year: int
    version: int
    liaison_meeting_id: uuid.UUID | None
    note: str
    issued_by: str
    issued_by_name: str
    issued_at: dt.datetime


class MeetingChoice(Row, kw_only=True):
    """A liaison meeting to choose when issuing (担当者会議)."""

    id: uuid.UUID
    title: str
    held_at: dt.datetime

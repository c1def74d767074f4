"""Shapes of the incidents API (msgspec Structs): requests (unknown fields are refused) and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec

from govstat.ops.incidents.rows import (
    AffectedTenant,
    AlertSummary,
    DeliveryRow,
    MaintenanceRow,
    NoticeRow,
    PublicUpdate,
    ReviewRow,
    TimelineEntry,
)

ModuleKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="subsystem key, e.g. 'area'")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
Note = Annotated[str, msgspec.Meta(max_length=4000)]
Required = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Severity = Literal["minor", "major", "critical"]
State = Literal["detected", "investigating", "identified", "monitoring", "recovered", "review", "closed"]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class IncidentIn(Base, kw_only=True):
    """An incident the operator opens by hand (a fault reported by an agency, say)."""

    module_key: ModuleKey | None = None  # None: the whole platform
    title: Title
    severity: Severity = "major"
    note: Note = ""
    public_note: Note = ""


class TransitionIn(Base, kw_only=True):
    to: State
    note: Note = ""  # for the operator's timeline
    public_note: Note = ""  # shown to agencies and on the status page


class ReviewIn(Base, kw_only=True):
    """The post-incident review: every field is required."""

    cause: Required
    prevention: Required
    owner: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    due_on: dt.date


class MaintenanceIn(Base, kw_only=True):
    module_key: ModuleKey | None = None  # None: every subsystem
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


# --- answers ------------------------------------------------------------------------------------------


class IncidentView(msgspec.Struct, kw_only=True):
    """The incident as the dashboard, agencies and the status page see it."""

    id: uuid.UUID
    number: int
    ref: str  # INC-000042
    module_key: str | None
    title: str
    severity: str
    state: str
    source: str
    detected_at: dt.datetime
    mitigated_at: dt.datetime | None
    recovered_at: dt.datetime | None
    closed_at: dt.datetime | None
    updated_at: dt.datetime


class IncidentList(msgspec.Struct, kw_only=True):
    total: int
    items: list[IncidentView]


class AgencyIncident(IncidentView, kw_only=True):
    """What an affected agency sees: the header and the public updates."""

    updates: list[PublicUpdate]


class IncidentDetail(AgencyIncident, kw_only=True):
    """Everything the operator sees about one incident."""

    detail: dict[str, Any]
    created_by: str
    allowed: list[str]  # the states it may move to
    timeline: list[TimelineEntry]
    review: ReviewRow | None
    alerts: list[AlertSummary]
    affected: list[AffectedTenant]
    notifications: list[DeliveryRow]


class MaintenanceList(msgspec.Struct, kw_only=True):
    items: list[MaintenanceRow]


class NoticeList(msgspec.Struct, kw_only=True):
    unread: int
    items: list[NoticeRow]


# --- the public status (status.py) ---------------------------------------------------------------------


class StatusDay(msgspec.Struct, kw_only=True):
    day: str  # ISO date, JST
    state: str  # operational | degraded | maintenance | outage


class ModuleStatus(msgspec.Struct, kw_only=True):
    key: str
    name_ja: str
    name_en: str
    state: str
    label_ja: str
    label_en: str
    days: list[StatusDay]  # the last 90 days, oldest first


class StatusIncident(AgencyIncident, kw_only=True):
    module_name_ja: str
    module_name_en: str


class StatusWindow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    module_key: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str
    active: bool


class Status(msgspec.Struct, kw_only=True):
    at: dt.datetime
    state: str
    label_ja: str
    label_en: str
    modules: list[ModuleStatus]
    incidents: list[StatusIncident]  # open, or detected in the last days; newest updates first
    maintenance: list[StatusWindow]  # current and planned windows

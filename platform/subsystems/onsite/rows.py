"""Row types of the on-site system: what its queries answer and its API sends (decisions/0007).
No row type carries a dataset's key or content, nor an output's evidence, to a researcher."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec


class DatasetRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_name: str
    gov_stat_code: str
    year: int
    unit_kind: str
    title: str
    variables: list[dict[str, Any]]
    threshold: int
    dominance_k: int
    dominance_p: float
    protection_pct: float
    retention_until: dt.date
    status: str
    row_count: int
    sha256: str
    created_at: dt.datetime
    loaded_at: dt.datetime | None
    purged_at: dt.datetime | None


class FacilityRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    address: str
    ranges: list[str]
    created_at: dt.datetime


class DeviceRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    facility_id: uuid.UUID
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class DeviceIssued(msgspec.Struct, kw_only=True):
    """A new terminal's credential, shown once: the terminal sends `X-Onsite-Device: <credential>`."""

    device: DeviceRow
    credential: str


class GrantRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    researcher_id: uuid.UUID
    researcher_name: str
    purpose: str
    dataset_ids: list[str]
    variables: list[str]
    facility_ids: list[str]
    starts_on: dt.date
    ends_on: dt.date
    status: str
    expires_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    created_at: dt.datetime


class VisitRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    grant_id: uuid.UUID
    researcher_id: uuid.UUID
    facility_id: uuid.UUID
    device_id: uuid.UUID
    client_ip: str
    opened_at: dt.datetime
    last_seen_at: dt.datetime
    closed_at: dt.datetime | None
    close_reason: str


class OutputRow(msgspec.Struct, kw_only=True):
    """A checked output as its researcher and the agency see it: suppressed cells carry no value."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    visit_id: uuid.UUID
    grant_id: uuid.UUID
    researcher_id: uuid.UUID
    dataset_id: uuid.UUID
    spec: dict[str, Any]
    verdict: str
    reasons: list[str]
    cells: list[dict[str, Any]]
    elapsed_ms: float
    created_at: dt.datetime
    review_requested_at: dt.datetime | None
    review_reason: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_note: str


class EvidenceRow(msgspec.Struct, kw_only=True):
    """For the agency's reviewer: the output's evidence record."""

    id: uuid.UUID
    verdict: str
    evidence: dict[str, Any]

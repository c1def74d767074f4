"""Row types of the business register (docs/decisions/0007): what its queries answer."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec


class Establishment(msgspec.Struct, kw_only=True):
    """One version of an establishment, with its enterprise's corporate number as of the same day."""

    id: int
    valid_from: dt.date
    valid_to: dt.date | None = None
    enterprise_id: int
    corporate_number: str | None = None
    role: str
    name: str
    name_kana: str
    area_code: str
    postal_code: str
    address: str
    jsic14: str
    jsic13: str | None = None
    employees: int
    sales_class: int
    status: str
    change_kind: str
    change_reason: str
    changed_by: str


class Unit(msgspec.Struct, kw_only=True):
    """A unit of an extracted population: what a draw and a delivery need."""

    id: int
    prn: float
    employees: int
    area_code: str
    jsic14: str
    name: str
    postal_code: str
    address: str
    corporate_number: str | None = None


class SurveyRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    period_from: dt.date
    period_to: dt.date
    population: dict[str, Any]
    sample_size: int
    start_point: float
    direction: int
    created_by: str
    created_at: dt.datetime


class ApplicationRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID
    purpose: str
    reference_date: dt.date
    draw_sample: bool
    design: str
    status: str
    population_count: int | None = None
    draw_id: uuid.UUID | None = None
    comment: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class Progress(ApplicationRow, kw_only=True):
    """An application in a progress list, with its survey's and agency's names."""

    survey_name: str
    tenant_name: str


class StepRow(msgspec.Struct, kw_only=True):
    status: str
    actor: str
    at: dt.datetime
    note: str


class DrawRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None
    spec: dict[str, Any]
    test: bool
    population_count: int
    sample_count: int
    skipped_count: int
    units_sha256: str
    created_by: str
    created_at: dt.datetime


class SelectionRow(msgspec.Struct, kw_only=True):
    establishment_id: int
    selected: bool
    rank: int
    prn: float
    key: float
    pi: float
    reason: str


class BurdenRow(msgspec.Struct, kw_only=True):
    survey_id: uuid.UUID
    survey_name: str
    tenant_name: str
    draw_id: uuid.UUID
    cycle: str
    selected_on: dt.date
    responded: bool | None = None


class DeliveryRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    application_id: uuid.UUID
    format: str
    filename: str
    sha256: str
    rows: int
    expires_at: dt.datetime
    downloads: int
    created_at: dt.datetime


class RunRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    kind: str
    status: str
    filename: str
    effective_on: dt.date
    total: int
    done: int
    report: dict[str, Any]
    errors: list[dict[str, Any]]
    created_by: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None

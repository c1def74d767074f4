"""Row types of enumerator management (docs/decisions/0007)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class EnumeratorRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    name_kana: str
    phone: str
    email: str
    appointed_from: dt.date
    appointed_to: dt.date
    status: str
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    areas: list[str] = msgspec.field(default_factory=list)


class AssignmentRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    enumerator_id: uuid.UUID
    survey_name: str
    survey_date: dt.date
    area_code: str
    area_name: str
    status: str
    updated_at: dt.datetime


class ChangeRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    assignment_id: uuid.UUID
    old_code: str
    new_code: str
    effective_on: dt.date
    reason: str
    changed_by: str
    changed_at: dt.datetime


class EnumeratorDetail(msgspec.Struct, kw_only=True):
    enumerator: EnumeratorRow
    assignments: list[AssignmentRow]
    changes: list[ChangeRow]


class FollowResult(msgspec.Struct, kw_only=True):
    as_of: dt.date
    moved: int
    review: int

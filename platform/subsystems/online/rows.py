"""Row types of the online survey system's queries (platform/db/rows.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec


class SurveyRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    code: str
    name_ja: str
    name_en: str
    cycle: str
    gov_stat_code: str | None
    unit_kind: str
    questionnaire_id: uuid.UUID | None
    questionnaire_version: int | None
    opens_at: dt.datetime
    deadline_at: dt.datetime
    reminder_dates: list[dt.date]
    retention_until: dt.date
    handed_off_at: dt.datetime | None
    stats_data_id: str | None

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens_at <= now < self.deadline_at


class RespondentRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID
    respondent_code: str
    email: str
    login: str
    must_change: bool
    opt_out: bool
    password_issued_at: dt.datetime


class UnitRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID
    respondent_id: uuid.UUID
    unit_code: str
    unit_name: str
    address: str
    area_code: str
    preprint: dict[str, Any]
    last_version: int | None = None
    last_receipt: str | None = None
    last_at: dt.datetime | None = None


class SubmissionRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    unit_id: uuid.UUID
    version_no: int
    receipt_no: str
    channel: str
    submitted_at: dt.datetime


class SignInRow(msgspec.Struct, kw_only=True):
    """What the gateway needs to sign a respondent in (published.respondent_for_login)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    login: str
    password_hash: str
    name: str

"""Row types of the items database's queries (platform/db/rows.py): each Struct's fields are its
query's columns."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec


class ItemVersionRow(msgspec.Struct, kw_only=True):
    item_id: str
    version: int
    tenant_id: uuid.UUID
    label_ja: str
    label_en: str
    definition_ja: str
    definition_en: str
    answer_type: str
    unit: str
    minimum: Decimal | None
    maximum: Decimal | None
    max_length: int | None
    code_list_id: str | None
    code_list_version: int | None
    fixed: bool
    search: str
    created_at: dt.datetime


class CodeListVersionRow(msgspec.Struct, kw_only=True):
    code_list_id: str
    version: int
    name_ja: str
    name_en: str
    classification_version: str | None
    options: str  # JSON text of the options
    fixed: bool


class QuestionnaireRow(msgspec.Struct, kw_only=True):
    questionnaire_id: uuid.UUID
    version: int
    tenant_id: uuid.UUID
    status: str
    title_ja: str
    respondent_unit: str
    survey: str
    cycle: str
    published_at: dt.datetime | None
    updated_at: dt.datetime


class UsedBy(msgspec.Struct, kw_only=True):
    questionnaire_id: uuid.UUID
    version: int
    status: str
    title_ja: str
    survey: str
    cycle: str
    item_version: int

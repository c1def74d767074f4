"""Rows of the tenants tables as msgspec Structs (issue 9: queries answer Structs, never dicts).

Fields are the table's columns (tenants/piccolo_migrations); the API answers them as they are.
Secrets stay out: a user's row has no password hash, an API key's no key hash, so no query
that answers these types can hand one on.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class Row(msgspec.Struct, kw_only=True):
    pass


class AgencyRow(Row, kw_only=True):
    """府省等 (agency master)."""

    code: str
    name_ja: str
    name_en: str
    created_at: dt.datetime


class DivisionRow(Row, kw_only=True):
    id: uuid.UUID
    agency_code: str
    code: str
    name_ja: str


class SystemRow(Row, kw_only=True):
    code: str
    name_ja: str
    name_en: str


class StatFieldRow(Row, kw_only=True):
    code: str
    name_ja: str
    name_en: str


class GovStatisticRow(Row, kw_only=True):
    """政府統計 (a government statistic and the agency that owns it)."""

    code: str
    name_ja: str
    agency_code: str
    field_code: str | None
    cycle: str


MasterRow = AgencyRow | DivisionRow | SystemRow | StatFieldRow | GovStatisticRow


class BulkContractRow(Row, kw_only=True):
    id: uuid.UUID
    reference: str
    fiscal_year: int
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date


class TenantRow(Row, kw_only=True):
    """利用機関 (a tenant)."""

    id: uuid.UUID
    code: str
    name_ja: str
    name_en: str
    kind: str
    status: str
    agency_code: str | None
    bulk_contract_id: uuid.UUID | None
    plan: str
    created_at: dt.datetime
    activated_at: dt.datetime | None


class DecisionRow(Row, kw_only=True):
    """協議会の決定 (a council decision)."""

    id: uuid.UUID
    tenant_id: uuid.UUID | None
    subject: str
    outcome: str
    decided_on: dt.date
    reference: str
    summary: str
    created_at: dt.datetime


class ApplicationRow(Row, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    submitted_on: dt.date
    document_ref: str
    reason: str
    decision_id: uuid.UUID | None
    created_at: dt.datetime


class ContractRow(Row, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    reference: str
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date | None
    ended_reason: str


class ContactRow(Row, kw_only=True):
    """連絡担当者 (a contact person; valid_to set once replaced)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    name: str
    name_kana: str
    division: str
    email: str
    phone: str
    valid_from: dt.datetime
    valid_to: dt.datetime | None


class SubscriptionRow(Row, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    module_key: str
    starts_on: dt.date
    ends_on: dt.date | None
    created_at: dt.datetime


class TenantDetail(TenantRow, kw_only=True):
    """A tenant with its records, as the operator's tenant page and API show it."""

    applications: list[ApplicationRow]
    contracts: list[ContractRow]
    decisions: list[DecisionRow]
    contacts: list[ContactRow]
    subscriptions: list[SubscriptionRow]


class UserRow(Row, kw_only=True):
    """A person's account, without its password hash."""

    id: uuid.UUID
    tenant_id: uuid.UUID | None
    login: str
    display_name: str
    email: str
    roles: list[str]
    status: str
    created_at: dt.datetime


class ApiKeyRow(Row, kw_only=True):
    """An agency system's API key, without its hash."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    prefix: str
    roles: list[str]
    created_by: uuid.UUID | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class AppIdRow(Row, kw_only=True):
    """A registered general user's application id (e-Stat appId)."""

    id: uuid.UUID
    user_id: uuid.UUID
    app_id: str
    name: str
    url: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class Registered(Row, kw_only=True):
    id: uuid.UUID
    login: str
    display_name: str
    roles: list[str]

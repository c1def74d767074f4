"""Request and response shapes of the tenants API (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

Code = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{1,31}$", description="tenant code, e.g. 'maff'")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
Ref = Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="document or decision reference")]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Login = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._@-]{3,64}$")]
TenantKind = Literal["operator", "constituent", "approved_body"]
RoleName = Literal["operator", "mic", "agency_admin", "agency_staff", "intermediary", "public", "onsite"]


class Base(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    pass


class BulkContractIn(Base, kw_only=True):
    reference: Ref
    fiscal_year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date


class ConstituentIn(Base, kw_only=True):
    """A constituent ministry (構成府省), served under the bulk contract (GOV-3)."""

    code: Code
    name_ja: Text
    name_en: str = ""
    agency_code: str | None = None
    bulk_contract_id: uuid.UUID


class ApplicationIn(Base, kw_only=True):
    """A written application (申請書) of an approved body to join (GOV-2)."""

    code: Code
    name_ja: Text
    name_en: str = ""
    agency_code: str | None = None
    submitted_on: dt.date
    document_ref: Ref
    reason: str = ""


class DecisionIn(Base, kw_only=True):
    """A council decision (協議会の決定) with its date and reference."""

    outcome: Literal["approved", "rejected"]
    decided_on: dt.date
    reference: Ref
    summary: str = ""


class ContractIn(Base, kw_only=True):
    reference: Ref
    signed_on: dt.date
    starts_on: dt.date


class WithdrawalIn(Base, kw_only=True):
    submitted_on: dt.date
    document_ref: Ref
    reason: str = ""


class ContractEndIn(Base, kw_only=True):
    ends_on: dt.date
    reason: str = "withdrawal"


class ContactIn(Base, kw_only=True):
    role: Literal["primary", "deputy"]
    name: Text
    name_kana: str = ""
    division: str = ""
    email: Email
    phone: str = ""


class ContactsIn(Base, kw_only=True):
    """Both contacts at once, as an active tenant must always have both (GOV-6)."""

    primary: ContactIn
    deputy: ContactIn


class SubscriptionIn(Base, kw_only=True):
    module_key: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,32}$")]
    starts_on: dt.date | None = None


class UserIn(Base, kw_only=True):
    login: Login
    display_name: Text
    email: Email | None = None
    password: Annotated[str, msgspec.Meta(min_length=12, max_length=200)]
    roles: Annotated[list[RoleName], msgspec.Meta(min_length=1)]


class UserPatch(Base, kw_only=True):
    display_name: Text | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    roles: Annotated[list[RoleName], msgspec.Meta(min_length=1)] | UnsetType = UNSET
    status: Literal["active", "disabled"] | UnsetType = UNSET
    password: Annotated[str, msgspec.Meta(min_length=12, max_length=200)] | UnsetType = UNSET


class ApiKeyIn(Base, kw_only=True):
    name: Text
    roles: Annotated[list[Literal["agency_admin", "agency_staff", "intermediary"]], msgspec.Meta(min_length=1)]


class ApiKeyCreated(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    prefix: str
    token: str  # shown once; only its hash is stored
    roles: list[str]


class AgencyIn(Base, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z]{1,16}$")]
    name_ja: Text
    name_en: str = ""


class DivisionIn(Base, kw_only=True):
    agency_code: str
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    name_ja: Text


class SystemIn(Base, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,32}$")]
    name_ja: Text
    name_en: str = ""


class StatFieldIn(Base, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Z]{2,8}$")]
    name_ja: Text
    name_en: str = ""


class GovStatisticIn(Base, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{8}$", description="政府統計コード (8 digits)")]
    name_ja: Text
    agency_code: str
    field_code: str | None = None
    cycle: str = ""


class RegisterIn(Base, kw_only=True):
    """Sign-up of a general user (一般利用者), for My page and an appId."""

    login: Login
    display_name: Text
    email: Email
    password: Annotated[str, msgspec.Meta(min_length=12, max_length=200)]


class AppIdIn(Base, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, description="アプリケーション名")]
    url: Annotated[str, msgspec.Meta(max_length=300)] = ""

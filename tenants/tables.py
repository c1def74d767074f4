"""Piccolo classes for the tenants tables (DDL in piccolo_migrations/tenants_0001_core.py)."""

from piccolo.columns import UUID, Array, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (PICCOLO_CONF before any table class)


class Agency(Table, tablename="agency"):
    code = Varchar(length=16, primary_key=True)
    name_ja = Text()
    name_en = Text()
    created_at = Timestamptz()


class Division(Table, tablename="division"):
    id = UUID(primary_key=True)
    agency_code = Varchar(length=16)
    code = Varchar(length=32)
    name_ja = Text()


class SystemMaster(Table, tablename="system_master"):
    code = Varchar(length=32, primary_key=True)
    name_ja = Text()
    name_en = Text()


class StatField(Table, tablename="stat_field"):
    code = Varchar(length=8, primary_key=True)
    name_ja = Text()
    name_en = Text()


class GovStatistic(Table, tablename="gov_statistic"):
    code = Varchar(length=8, primary_key=True)
    name_ja = Text()
    agency_code = Varchar(length=16)
    field_code = Varchar(length=8, null=True, default=None)
    cycle = Text()


class BulkContract(Table, tablename="bulk_contract"):
    id = UUID(primary_key=True)
    reference = Text()
    fiscal_year = Integer()
    signed_on = Date()
    starts_on = Date()
    ends_on = Date()


class Tenant(Table, tablename="tenant"):
    OVERSIGHT_READ = True  # MIC (総務省) reads it across tenants
    TENANT_COLUMN = "id"  # a tenant sees its own row (scoped like tenant_id elsewhere)
    id = UUID(primary_key=True)
    code = Varchar(length=32)
    name_ja = Text()
    name_en = Text()
    kind = Varchar(length=24)
    status = Varchar(length=24)
    agency_code = Varchar(length=16, null=True, default=None)
    bulk_contract_id = UUID(null=True, default=None)
    plan = Varchar(length=32, default="standard")
    created_at = Timestamptz()
    activated_at = Timestamptz(null=True, default=None)


class CouncilDecision(Table, tablename="council_decision"):
    OVERSIGHT_READ = True  # MIC (総務省) reads it across tenants
    id = UUID(primary_key=True)
    tenant_id = UUID(null=True, default=None)
    subject = Varchar(length=32)
    outcome = Varchar(length=16)
    decided_on = Date()
    reference = Text()
    summary = Text()
    created_at = Timestamptz()


class TenantApplication(Table, tablename="tenant_application"):
    OVERSIGHT_READ = True  # MIC (総務省) reads it across tenants
    id = UUID(primary_key=True)
    tenant_id = UUID()
    kind = Varchar(length=16)
    submitted_on = Date()
    document_ref = Text()
    reason = Text()
    decision_id = UUID(null=True, default=None)
    created_at = Timestamptz()


class TenantContract(Table, tablename="tenant_contract"):
    OVERSIGHT_READ = True  # MIC (総務省) reads it across tenants
    id = UUID(primary_key=True)
    tenant_id = UUID()
    reference = Text()
    signed_on = Date()
    starts_on = Date()
    ends_on = Date(null=True, default=None)
    ended_reason = Text()


class ContactPerson(Table, tablename="contact_person"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    role = Varchar(length=8)
    name = Text()
    name_kana = Text()
    division = Text()
    email = Text()
    phone = Text()
    valid_from = Timestamptz()
    valid_to = Timestamptz(null=True, default=None)


class Subscription(Table, tablename="subscription"):
    OVERSIGHT_READ = True  # MIC (総務省) reads it across tenants
    id = UUID(primary_key=True)
    tenant_id = UUID()
    module_key = Varchar(length=32)
    starts_on = Date()
    ends_on = Date(null=True, default=None)
    created_at = Timestamptz()


class AppUser(Table, tablename="app_user"):
    id = UUID(primary_key=True)
    tenant_id = UUID(null=True, default=None)
    login = Varchar(length=64)
    display_name = Text()
    email = Text()
    password_hash = Text()
    roles = Array(base_column=Text())
    status = Varchar(length=16, default="active")
    created_at = Timestamptz()


class ApiKey(Table, tablename="api_key"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Text()
    prefix = Varchar(length=16)
    key_hash = Text()
    roles = Array(base_column=Text())
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


ALL = [
    Agency,
    Division,
    SystemMaster,
    StatField,
    GovStatistic,
    BulkContract,
    Tenant,
    CouncilDecision,
    TenantApplication,
    TenantContract,
    ContactPerson,
    Subscription,
    AppUser,
    ApiKey,
]


class AppId(Table, tablename="app_id"):
    # the public API's application id (e-Stat appId), owned by a registered general user
    id = UUID(primary_key=True)
    user_id = UUID()
    app_id = Varchar(length=40)
    name = Text()
    url = Text()
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


ALL.append(AppId)

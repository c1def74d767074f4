"""Tenants' read interface for the gateway and operations (docs/decisions/0010): tenants, their
contacts, users and subscriptions, and the figures of the report to MIC.

The gateway and ops never name tenants' tables. They call these functions with their own unit of
work, or join the directory views (govstat.platform.directory.VIEWS: directory_tenant,
directory_contact, directory_user, ...) where a list of their own rows shows a tenant's name. The
platform's subsystems, which may not import govstat.tenants, use govstat.platform.directory.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from govstat.platform.db.uow import UnitOfWork

# the masters (agencies, statistics and who owns them, fields) as the platform reads them
from govstat.platform.directory import Agency, Field, Statistic, agencies, fields, statistic, statistics
from govstat.tenants.tables import AppUser, Tenant

READS_FOR_OTHERS = True
__all__ = ["Agency", "Field", "Statistic", "agencies", "fields", "statistic", "statistics"]


class TenantRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    name_ja: str
    name_en: str = ""
    kind: str  # operator | constituent | approved_body
    status: str
    agency_code: str | None = None
    plan: str = "standard"
    activated_at: dt.datetime | None = None


async def tenant(uow: UnitOfWork, tenant_id: uuid.UUID) -> TenantRef:
    """The tenant, scoped as every repository is: another tenant's id answers NotFound (404)."""
    return await uow.repo(Tenant, TenantRef).get(tenant_id)


async def find_tenant(uow: UnitOfWork, tenant_id: uuid.UUID) -> TenantRef | None:
    return await uow.repo(Tenant, TenantRef).first(Tenant.id == tenant_id)


async def tenants_by_code(uow: UnitOfWork, codes: Sequence[str]) -> list[TenantRef]:
    if not codes:
        return []
    return await uow.repo(Tenant, TenantRef).find(Tenant.code.is_in(list(codes)), order_by=Tenant.code)


async def active_tenant_of(uow: UnitOfWork, agency_code: str) -> TenantRef | None:
    """An active tenant of the agency (府省等), if it has one."""
    return await uow.repo(Tenant, TenantRef).first(Tenant.agency_code == agency_code, Tenant.status == "active")


class BillableTenant(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    name_ja: str
    kind: str
    plan: str


async def billable_tenants(
    uow: UnitOfWork, *, activated_before: dt.datetime, ended_after: dt.date, ids: Sequence[uuid.UUID] | None
) -> list[BillableTenant]:
    """Constituent ministries and approved bodies activated before `activated_before`; a withdrawn
    one while its contract ended after `ended_after` (billed up to that month). `ids`: only these."""
    return await uow.rows(
        BillableTenant,
        """
        SELECT t.id, t.code, t.name_ja, t.kind, t.plan FROM tenant t
        WHERE t.kind IN ('constituent', 'approved_body')
          AND t.activated_at IS NOT NULL AND t.activated_at < $1
          AND (t.status <> 'withdrawn' OR (SELECT max(c.ends_on) FROM tenant_contract c WHERE c.tenant_id = t.id) > $2)
          AND ($3::uuid[] IS NULL OR t.id = ANY($3))
        ORDER BY t.code""",
        activated_before,
        ended_after,
        None if ids is None else list(ids),
    )


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    """What the gateway checks on every call: the plan, the status, the modules subscribed today."""

    plan: str
    status: str
    modules: frozenset[str]


async def profile(uow: UnitOfWork, tenant_id: uuid.UUID, day: dt.date) -> Profile | None:
    return await uow.row(
        Profile,
        """
        SELECT t.plan, t.status,
               coalesce(array_agg(s.module_key) FILTER (WHERE s.module_key IS NOT NULL), '{}') AS modules
        FROM tenant t LEFT JOIN subscription s
          ON s.tenant_id = t.id AND s.starts_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2)
        WHERE t.id = $1 GROUP BY t.plan, t.status""",
        tenant_id,
        day,
    )


async def subscribers(uow: UnitOfWork, module_key: str | None, day: dt.date) -> list[uuid.UUID]:
    """Active agencies subscribing to the module on `day` (every active agency when None)."""
    rows = await uow.fetch(
        "SELECT t.id FROM tenant t WHERE t.status = 'active' AND t.kind <> 'operator' AND ($1::text IS NULL OR"
        " EXISTS (SELECT 1 FROM subscription s WHERE s.tenant_id = t.id AND s.module_key = $1"
        " AND s.starts_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2))) ORDER BY t.code",
        module_key,
        day,
    )
    return [r["id"] for r in rows]


class UserRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID | None = None
    login: str
    display_name: str
    email: str = ""
    status: str


async def user_of(uow: UnitOfWork, user_id: uuid.UUID, tenant_id: uuid.UUID | None) -> UserRef | None:
    """The user if it belongs to the tenant."""
    return await uow.repo(AppUser, UserRef).first(AppUser.id == user_id, AppUser.tenant_id == tenant_id)


class PrimaryContact(msgspec.Struct, kw_only=True):
    """An active tenant's primary contact (連絡担当者, GOV-6)."""

    tenant_id: uuid.UUID
    tenant_code: str
    tenant_name: str
    tenant_kind: str
    contact_person_id: uuid.UUID
    name: str
    division: str = ""
    email: str
    phone: str = ""
    valid_from: dt.datetime


async def primary_contacts(uow: UnitOfWork, at: dt.datetime | None = None) -> list[PrimaryContact]:
    """The primary contacts of the active tenants now, or as of `at`: the operator first, then by
    kind and code."""
    valid = "c.valid_to IS NULL" if at is None else "c.valid_from <= $1 AND (c.valid_to IS NULL OR c.valid_to > $1)"
    return await uow.rows(
        PrimaryContact,
        f"""
        SELECT t.id AS tenant_id, t.code AS tenant_code, t.name_ja AS tenant_name, t.kind AS tenant_kind,
               c.id AS contact_person_id, c.name, c.division, c.email, c.phone, c.valid_from
        FROM tenant t
        JOIN contact_person c ON c.tenant_id = t.id AND c.role = 'primary' AND {valid}
        WHERE t.status = 'active'
        ORDER BY (t.kind = 'operator') DESC, t.kind, t.code""",
        *(() if at is None else (at,)),
    )


# --- figures of a fiscal year (the report to MIC) ------------------------------------------------


class KindStatusCount(msgspec.Struct, kw_only=True):
    kind: str
    status: str
    n: int


async def counts_by_kind_status(uow: UnitOfWork) -> list[KindStatusCount]:
    """Tenants (the operator's own left out) by kind and status."""
    return await uow.rows(
        KindStatusCount,
        "SELECT kind, status, count(*)::int AS n FROM tenant WHERE kind <> 'operator' GROUP BY 1, 2 ORDER BY 1, 2",
    )


async def activated_by_kind(uow: UnitOfWork, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    rows = await uow.fetch(
        "SELECT kind, count(*)::int AS n FROM tenant WHERE kind <> 'operator' AND activated_at >= $1"
        " AND activated_at < $2 GROUP BY 1 ORDER BY 1",
        start,
        end,
    )
    return {r["kind"]: r["n"] for r in rows}


class ContractCounts(msgspec.Struct, kw_only=True):
    bulk_references: list[str]  # the bulk contracts (GOV-3) in force in the period
    constituents_covered: int  # active constituent ministries under them
    in_force: int  # approved bodies' contracts in force, signed and ended in the period
    signed: int
    ended: int


class _Approved(msgspec.Struct):
    in_force: int
    signed: int
    ended: int


async def contract_counts(uow: UnitOfWork, first: dt.date, after: dt.date) -> ContractCounts:
    """Contracts over the days from `first` to before `after`."""
    bulk = await uow.fetch(
        "SELECT id, reference FROM bulk_contract WHERE starts_on < $2 AND ends_on >= $1 ORDER BY starts_on",
        first,
        after,
    )
    approved = await uow.one(
        _Approved,
        "SELECT count(*) FILTER (WHERE starts_on < $2 AND (ends_on IS NULL OR ends_on >= $1))::int AS in_force,"
        " count(*) FILTER (WHERE signed_on >= $1 AND signed_on < $2)::int AS signed,"
        " count(*) FILTER (WHERE ends_on >= $1 AND ends_on < $2)::int AS ended FROM tenant_contract",
        first,
        after,
    )
    covered = await uow.fetchval(
        "SELECT count(*)::int FROM tenant WHERE kind = 'constituent' AND status = 'active'"
        " AND bulk_contract_id = ANY($1::uuid[])",
        [b["id"] for b in bulk],
    )
    return ContractCounts(
        bulk_references=[b["reference"] for b in bulk],
        constituents_covered=covered,
        in_force=approved.in_force,
        signed=approved.signed,
        ended=approved.ended,
    )

"""The directory: agencies (府省等), government statistics and who owns them, fields, divisions,
tenants — tenants' read interface as the platform and its subsystems see it (docs/decisions/0010).

The platform imports only the platform, so it cannot call govstat.tenants; tenants publishes
views instead (tenants/piccolo_migrations/tenants_0004_directory.py), and this module is their
declaration: the Structs and queries for Python callers, and `VIEWS`, the names other parts' SQL
may join (a list filtered by agency or ordered by a statistic's name stays one statement).
Every function takes the caller's unit of work.
"""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True
VIEWS = (
    "directory_agency",  # code, name_ja, name_en
    "directory_field",  # code, name_ja, name_en (統計分野)
    "directory_division",  # agency_code, code, name_ja
    "directory_statistic",  # Statistic below
    "directory_tenant",  # id, code, name_ja, name_en, kind, status, agency_code, plan, created_at, activated_at
    "directory_contact",  # current contacts: tenant_id, role, name, division, email
    "directory_user",  # id, tenant_id, display_name, email, status
)


class Agency(msgspec.Struct, kw_only=True):
    code: str
    name_ja: str
    name_en: str = ""


class Field(msgspec.Struct, kw_only=True):
    code: str
    name_ja: str
    name_en: str = ""


class Statistic(msgspec.Struct, kw_only=True):
    """A government statistic (政府統計) with its agency and field (None: no field)."""

    code: str
    name_ja: str
    cycle: str = ""
    agency_code: str
    agency_name: str
    agency_name_en: str = ""
    field_code: str | None = None
    field_name: str | None = None
    field_name_en: str | None = None


class OwnStatistic(msgspec.Struct, kw_only=True):
    code: str
    name_ja: str
    cycle: str = ""


class Ownership(msgspec.Struct, kw_only=True):
    """A statistic and the agency of the scope's tenant (None: the scope has no tenant)."""

    code: str
    name_ja: str
    agency_code: str
    agency_name: str
    tenant_agency: str | None = None

    def refusal(self) -> str | None:
        """Why the scope's tenant may not register for the statistic, None when it may."""
        if self.tenant_agency == self.agency_code:
            return None
        return (
            f"{self.name_ja}（{self.code}）は{self.agency_name}の統計です"
            f" / statistic {self.code} belongs to agency {self.agency_code}, not yours"
        )


def unknown_statistic(code: str) -> str:
    return f"政府統計コード {code} は登録されていません / no government statistic {code}"


STATISTIC = (
    "SELECT code, name_ja, cycle, agency_code, agency_name, agency_name_en, field_code, field_name, field_name_en"
    " FROM directory_statistic"
)


async def statistic(uow: UnitOfWork, code: str) -> Statistic | None:
    return await uow.row(Statistic, f"{STATISTIC} WHERE code = $1", code)


async def statistics(uow: UnitOfWork) -> list[Statistic]:
    return await uow.rows(Statistic, f"{STATISTIC} ORDER BY code")


async def agencies(uow: UnitOfWork, *, with_statistics: bool = False) -> list[Agency]:
    """Every agency, or those that own a government statistic."""
    where = " WHERE code IN (SELECT agency_code FROM directory_statistic)" if with_statistics else ""
    return await uow.rows(Agency, f"SELECT code, name_ja, name_en FROM directory_agency{where} ORDER BY code")


async def fields(uow: UnitOfWork) -> list[Field]:
    return await uow.rows(Field, "SELECT code, name_ja, name_en FROM directory_field ORDER BY code")


async def divisions(uow: UnitOfWork, agency_code: str) -> list[str]:
    """The names of an agency's divisions (部局), in code order."""
    rows = await uow.fetch("SELECT name_ja FROM directory_division WHERE agency_code = $1 ORDER BY code", agency_code)
    return [r["name_ja"] for r in rows]


async def own_statistics(uow: UnitOfWork) -> list[OwnStatistic]:
    """The government statistics of the scope tenant's agency (registration forms, the agency API)."""
    return await uow.rows(
        OwnStatistic,
        "SELECT g.code, g.name_ja, g.cycle FROM directory_statistic g JOIN directory_tenant t"
        " ON t.agency_code = g.agency_code WHERE t.id = govstat_scope_tenant() ORDER BY g.code",
    )


async def ownership(uow: UnitOfWork, code: str) -> Ownership | None:
    """The statistic with the scope tenant's agency beside it; None when no such statistic."""
    return await uow.row(
        Ownership,
        "SELECT g.code, g.name_ja, g.agency_code, g.agency_name,"
        " (SELECT t.agency_code FROM directory_tenant t WHERE t.id = govstat_scope_tenant()) AS tenant_agency"
        " FROM directory_statistic g WHERE g.code = $1",
        code,
    )


async def tenant_id(uow: UnitOfWork, code: str) -> uuid.UUID | None:
    """The id of the tenant with this code, if the scope sees it."""
    found: uuid.UUID | None = await uow.fetchval("SELECT id FROM directory_tenant WHERE code = $1", code)
    return found

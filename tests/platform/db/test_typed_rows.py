"""The one way to reach data (issue 9 section 1): typed rows, one WHERE/scope builder, typed repositories."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound
from govstat.platform.security import Scope
from govstat.tenants.tables import Tenant
from tests.support.factories import make_tenant

OPERATOR = Scope(role="operator", actor="test")


class TenantRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    status: str
    created_at: dt.datetime
    agency_code: str | None = None


class Blob(msgspec.Struct):
    doc: dict[str, int]
    items: list[int]
    n: float


async def test_rows_decode_into_structs_with_json_and_numeric_columns():
    async with UnitOfWork(OPERATOR) as uow:
        got = await uow.row(Blob, """SELECT '{"a": 1}'::jsonb AS doc, '[1,2]'::json AS items, 1.5::numeric AS n""")
    assert got == Blob(doc={"a": 1}, items=[1, 2], n=1.5)


async def test_one_answers_not_found_and_rows_are_typed():
    t = await make_tenant()
    async with UnitOfWork(OPERATOR) as uow:
        rows = await uow.rows(TenantRow, "SELECT * FROM tenant WHERE id = $1", t.id)
        assert [type(r) for r in rows] == [TenantRow] and rows[0].code == t.code
        with pytest.raises(NotFound):
            await uow.one(TenantRow, "SELECT * FROM tenant WHERE id = $1", uuid.uuid4(), what="利用機関")


async def test_where_binds_values_skips_empty_filters_and_scopes_to_the_tenant():
    w = Where().eq("status", "active").eq("kind", None).eq("code", "").any("code", ["a", "b"])
    assert w.sql == "status = $1 AND code = ANY($2::text[])" and w.args == ["active", ["a", "b"]]
    assert str(Where(first=3).add("a BETWEEN {} AND {}", 1, 2)) == "a BETWEEN $3 AND $4"
    assert Where().scoped(OPERATOR).sql == "true"  # the operator spans tenants
    mine = Where().scoped(Scope.tenant(uuid.uuid4()), "t.").sql
    assert mine == "t.tenant_id = govstat_scope_tenant()"
    assert Where().sql == "true"


async def test_a_repository_answers_its_row_type_and_another_tenants_row_is_not_found():
    mine, other = await make_tenant(), await make_tenant()
    async with UnitOfWork(Scope.tenant(mine.id)) as uow:
        repo = uow.repo(Tenant, TenantRow)
        row = await repo.get(mine.id)
        assert isinstance(row, TenantRow) and row.code == mine.code
        with pytest.raises(NotFound):
            await repo.get(other.id)

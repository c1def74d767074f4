"""PLAT-1: row-level security on every tenant table; one tenant never sees another's rows."""

import pytest

from govstat.platform.db.engine import DB
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import Scope
from govstat.tenants.tables import ContactPerson, Subscription
from tests.support.factories import make_tenant

# Platform bookkeeping with no tenant rows; everything else must carry a policy.
NO_RLS = {"migration"}


async def _tables() -> list[dict]:
    return await DB.run_ddl("""
        SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
               pg_get_userbyid(c.relowner) AS owner,
               EXISTS (SELECT 1 FROM information_schema.columns i WHERE i.table_name = c.relname
                       AND i.table_schema = 'public' AND i.column_name = 'tenant_id') AS has_tenant,
               array(SELECT polname::text FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1""")


async def test_every_table_has_forced_rls_and_a_policy():
    tables = await _tables()
    assert len(tables) > 15
    missing = [
        t["name"] for t in tables if t["name"] not in NO_RLS and not (t["rls"] and t["forced"] and t["policies"])
    ]
    assert missing == []
    without_tenant_policy = [
        t["name"]
        for t in tables
        if t["has_tenant"] and "tenant_isolation" not in t["policies"] and "system_only" not in t["policies"]
    ]
    assert without_tenant_policy == []


async def test_app_role_owns_nothing_and_cannot_bypass():
    role = (
        await DB.run_ddl(
            "SELECT current_user AS u, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user"
        )
    )[0]
    assert role["u"] == "govstat_app" and not role["rolsuper"] and not role["rolbypassrls"]
    assert not [t["name"] for t in await _tables() if t["owner"] == "govstat_app"]


async def test_raw_piccolo_inside_tenant_scope_cannot_touch_other_tenant():
    a, b = await make_tenant(), await make_tenant()
    async with UnitOfWork(Scope.tenant(a.id)):
        seen = await ContactPerson.select(ContactPerson.tenant_id)
        assert seen and {r["tenant_id"] for r in seen} == {a.id}
        # no WHERE on tenant: RLS alone filters
        assert await ContactPerson.select().where(ContactPerson.tenant_id == b.id) == []
        updated = (
            await ContactPerson.update({ContactPerson.name: "乗っ取り"})
            .where(ContactPerson.tenant_id == b.id)
            .returning(ContactPerson.id)
        )
        deleted = await Subscription.delete().where(Subscription.tenant_id == b.id).returning(Subscription.id)
        assert updated == [] and deleted == []
    async with UnitOfWork(Scope.tenant(b.id)):
        names = {r["name"] for r in await ContactPerson.select(ContactPerson.name)}
        assert "乗っ取り" not in names and len(names) == 2
        assert len(await Subscription.select()) == 1


async def test_insert_for_another_tenant_is_refused():
    a, b = await make_tenant(), await make_tenant()
    with pytest.raises(NotFound):
        async with UnitOfWork(Scope.tenant(a.id)) as uow:
            await uow.execute(
                "INSERT INTO subscription (id, tenant_id, module_key) VALUES (gen_random_uuid(), $1, 'x')", b.id
            )


async def test_repository_answers_404_for_another_tenants_row():
    a, b = await make_tenant(), await make_tenant()
    async with UnitOfWork(Scope.tenant(b.id)) as uow:
        row = await uow.repo(ContactPerson).first()
    with pytest.raises(NotFound):
        async with UnitOfWork(Scope.tenant(a.id)) as uow:
            await uow.repo(ContactPerson).get(row["id"])


async def test_outside_any_scope_tenant_tables_return_nothing():
    await make_tenant()
    assert await ContactPerson.select() == []
    assert await Subscription.count() == 0


async def test_scope_never_leaks_to_the_next_user_of_a_pooled_connection():
    a = await make_tenant()
    for _ in range(5):
        async with UnitOfWork(Scope.tenant(a.id)) as uow:
            assert await uow.fetchval("SELECT current_setting('app.tenant_id', true)") == str(a.id)
    # every pooled connection, used outside a unit of work, has no tenant
    async with DB.pool.acquire() as conn:
        assert (await conn.fetchval("SELECT current_setting('app.tenant_id', true)")) in ("", None)
        assert await conn.fetchval("SELECT count(*) FROM contact_person") == 0


async def test_append_only_tables_refuse_change_even_to_the_operator():
    # "permission denied" from PostgreSQL, translated at the unit of work's boundary
    for table in ("audit_log", "council_decision"):
        for sql in (
            f"UPDATE {table} SET created_at = created_at"
            if table == "council_decision"
            else f"UPDATE {table} SET actor = actor",
            f"DELETE FROM {table}",
        ):
            with pytest.raises(NotFound):
                async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
                    await uow.connection.execute(sql)

"""UnitOfWork.platform_read: a cross-tenant, read-only scope on the request's own connection (the
estat contact lookup and MIC's report reads used a second unit of work, the issue-8 deadlock)."""

from __future__ import annotations

import asyncpg
import pytest

from govstat.platform.db.engine import DB
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

COUNT = "SELECT count(*) FROM contact_person"


async def test_platform_read_sees_every_tenant_read_only_and_then_restores_the_scope():
    async with UnitOfWork(Scope()) as uow:  # anonymous: row-level security hides every contact
        out_before = DB.pool.get_size() - DB.pool.get_idle_size()
        assert await uow.fetchval(COUNT) == 0
        async with uow.platform_read("test") as platform:
            assert await platform.fetchval(COUNT) > 0
            assert DB.pool.get_size() - DB.pool.get_idle_size() == out_before  # no second connection
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            async with uow.platform_read("test") as platform:
                await platform.execute("DELETE FROM contact_person")
        # the savepoint undid the scope and the read-only mode; the transaction itself is intact
        assert await uow.fetchval(COUNT) == 0
        assert await uow.fetchval("SELECT current_setting('app.role')") == "anonymous"
        assert await uow.fetchval("SHOW transaction_read_only") == "off"
        assert uow.scope == Scope()

"""Issue 15 §5: a read whose replica dies under it is answered by the primary.

On the shared hot-standby replica (ops/services/postgres-replica.sh, never stopped here), the replica's
superuser ends just the one session a unit of work reads on (pg_terminate_backend, as a crash or a
shutdown of the replica would end all of them). Before anything was handed back, the read runs again
on the primary, in a read-only transaction of the same scope; after, it fails as before (the caller may
have used the replica's rows); either way the replica leaves the rotation for a while. Only a lost
connection counts: a statement that fails on a live replica connection fails as it is.
"""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from govstat.platform.db import replicas
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Unavailable
from govstat.platform.security import Scope
from tests.platform.test_replicas import PG_PORT, REPLICA_PORT, SUPER, TEST_DB
from tests.support.services import SERVICES, run

APP_URL = f"postgresql://govstat_app:govstat_app@127.0.0.1:{REPLICA_PORT}/{TEST_DB}"
SESSION = (
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%' || $2 || '%' AND pid <> pg_backend_pid()"
)


@pytest.fixture
async def admin():
    """The replica's superuser, and the reads' replica pool (closed after: each test starts its own)."""
    run([str(SERVICES / "postgres-replica.sh"), "start"], timeout=600)
    con = await asyncpg.connect(SUPER)
    await replicas.start([APP_URL])
    try:
        yield con
    finally:
        await replicas.close()
        await con.close()


async def end_session(admin: asyncpg.Connection, pid: int) -> None:
    """End one session on the replica and wait until it is gone."""
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    for _ in range(500):
        if not await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"session {pid} still there")


async def end_when_running(admin: asyncpg.Connection, marker: str) -> None:
    for _ in range(500):
        if pid := await admin.fetchval(SESSION, TEST_DB, marker):
            return await end_session(admin, pid)
        await asyncio.sleep(0.01)
    raise AssertionError("the read never ran on the replica")


def down() -> bool:
    return replicas.status()[0]["down"] is True


async def test_a_read_whose_replica_connection_is_lost_runs_again_on_the_primary(admin):
    marker, tenant = uuid.uuid4().hex, uuid.uuid4()
    # on the replica the read waits (ended long before), on the primary it answers at once
    sql = (
        f"SELECT '{marker}' AS marker, pg_sleep(CASE WHEN pg_is_in_recovery() THEN 10 ELSE 0 END),"
        " inet_server_port() AS port, pg_is_in_recovery() AS standby,"
        " current_setting('transaction_read_only') AS ro, current_setting('app.tenant_id') AS tenant"
    )
    async with UnitOfWork.for_reads(Scope.tenant(tenant, actor="test")) as uow:
        ending = asyncio.create_task(end_when_running(admin, marker))
        try:
            row = await uow.fetchrow(sql)
        finally:
            await ending
        assert (row["port"], row["standby"], row["ro"], row["tenant"]) == (PG_PORT, False, "on", str(tenant))
        # the rest of the unit of work reads on the primary too, read-only in the same scope
        assert await uow.fetchval("SELECT inet_server_port()") == PG_PORT
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await uow.execute("CREATE TEMP TABLE failover_probe (x int)")
    assert down()  # out of the rotation: the next read goes to the primary
    async with UnitOfWork.for_reads(Scope()) as uow:
        assert await uow.fetchval("SELECT inet_server_port()") == PG_PORT


async def test_after_rows_were_handed_back_a_lost_replica_fails_the_read(admin):
    async with UnitOfWork.for_reads(Scope()) as uow:  # a statement's own error is no lost replica
        assert await uow.fetchval("SELECT inet_server_port()") == REPLICA_PORT
        with pytest.raises(asyncpg.DivisionByZeroError):
            await uow.fetchval("SELECT 1 / 0")
    assert not down()
    with pytest.raises(Unavailable):  # 503: try again (the next read goes to the primary)
        async with UnitOfWork.for_reads(Scope()) as uow:
            pid = await uow.fetchval("SELECT pg_backend_pid()")
            await end_session(admin, pid)
            await uow.fetchval("SELECT inet_server_port()")  # not moved: the first answer came from the replica
    assert down()


async def test_a_read_that_had_its_answer_stands_when_the_replica_goes_before_commit(admin):
    async with UnitOfWork.for_reads(Scope()) as uow:
        port, pid = await uow.fetchrow("SELECT inet_server_port(), pg_backend_pid()")
        await end_session(admin, pid)
    # a read-only transaction has nothing to commit: no error, and the replica is left out
    assert port == REPLICA_PORT and down()

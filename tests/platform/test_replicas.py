"""Issue 15 §5: public reads on a PostgreSQL hot-standby replica (streaming replication).

The replica is started by the same script `GOVSTAT_PG_REPLICA=1 make services` uses
(ops/services/postgres-replica.sh: pg_basebackup from the primary, then streaming). Public GET
routes take a read-only unit of work, which runs on the replica; writes stay on the primary.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from urllib.parse import urlsplit

import asyncpg
import pytest

from govstat.platform.db import replicas
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import agency, run_publish_jobs, small_csv, small_params
from tests.support.services import SERVICES, run

PRIMARY = urlsplit(get_settings().database_url)
PG_PORT, TEST_DB = PRIMARY.port or 5432, PRIMARY.path.lstrip("/")
REPLICA_PORT = int(os.environ.get("GOVSTAT_PG_REPLICA_PORT", PG_PORT + 1))
SUPER = f"postgresql://postgres:postgres@127.0.0.1:{REPLICA_PORT}/postgres"
ANONYMOUS = Scope()


@pytest.fixture(scope="module")
async def replica():
    run([str(SERVICES / "postgres-replica.sh"), "start"], timeout=600)
    admin = await asyncpg.connect(SUPER)
    await admin.execute("SELECT pg_wal_replay_resume()")
    await replicas.start([f"postgresql://govstat_app:govstat_app@127.0.0.1:{REPLICA_PORT}/{TEST_DB}"])
    try:
        yield admin
    finally:
        await replicas.close()
        await admin.execute("SELECT pg_wal_replay_resume()")
        await admin.close()


async def draft(owner, n: int) -> str:
    """A table registered by `owner` (not published: only its owner may read it)."""
    async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
        table = await service.register(uow, service.Upload(small_params(n), small_csv(5), f"t{n}.csv"), test_mode=False)
    return table.stats_data_id


async def on_replica(sql: str, *args, scope: Scope = ANONYMOUS):
    async with UnitOfWork.for_reads(scope) as uow:
        return await uow.fetchrow(sql, *args)


async def until(check, seconds: float = 10.0) -> float:
    """Poll `check()` until it is true; the seconds it took."""
    t0 = time.monotonic()
    while not await check():
        assert time.monotonic() - t0 < seconds, "not seen in time"
        await asyncio.sleep(0.01)
    return time.monotonic() - t0


async def test_reads_run_on_the_replica_and_writes_on_the_primary(replica):
    read = await on_replica(
        "SELECT pg_is_in_recovery() AS standby, inet_server_port() AS port,"
        " current_setting('transaction_read_only') AS ro"
    )
    assert (read["standby"], read["port"], read["ro"]) == (True, REPLICA_PORT, "on")
    async with UnitOfWork(ANONYMOUS) as uow:
        write = await uow.fetchrow("SELECT pg_is_in_recovery() AS standby, inet_server_port() AS port")
    assert (write["standby"], write["port"]) == (False, PG_PORT)


async def test_a_publication_is_read_from_the_replica_within_a_second(replica, client):
    owner = await agency()
    sid = await draft(owner, 1501)
    # paused before the schedule: visibility follows publish_at by the clock (statdb_0004_versions), so a
    # replica that had replayed the schedule would show the table at its time even without the job
    await replica.execute("SELECT pg_wal_replay_pause()")
    try:
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            await service.schedule(uow, sid, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3))
        await asyncio.sleep(0.4)
        await run_publish_jobs()
        async with UnitOfWork(Scope.system("test")) as uow:
            assert await uow.fetchval("SELECT status FROM stat_table WHERE stats_data_id = $1", sid) == "published"
        # the public page reads the replica, which has not replayed the publication yet
        assert (await client.get(f"/estat/tables/{sid}")).status_code == 404
    finally:
        await replica.execute("SELECT pg_wal_replay_resume()")

    async def shown() -> bool:
        return (await client.get(f"/estat/tables/{sid}")).status_code == 200

    assert await until(shown) < 1.0
    assert "テスト表 1501" in (await client.get(f"/estat/tables/{sid}")).text


async def test_row_level_security_holds_on_the_replica(replica, client):
    owner, other = await agency(), await agency()
    sid = await draft(owner, 1502)
    sql = "SELECT count(*) AS n FROM stat_table WHERE stats_data_id = $1"

    async def replayed() -> bool:
        return (await on_replica(sql, sid, scope=Scope.system("test")))["n"] == 1

    await until(replayed)
    assert (await on_replica(sql, sid, scope=Scope.tenant(owner.id)))["n"] == 1
    assert (await on_replica(sql, sid, scope=Scope.tenant(other.id)))["n"] == 0
    assert (await on_replica(sql, sid))["n"] == 0  # no scope: nothing (fail closed)
    role = await on_replica("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    assert (role["rolsuper"], role["rolbypassrls"]) == (False, False)
    assert (await client.get(f"/estat/tables/{sid}")).status_code == 404  # a draft is nobody's public page
    async with UnitOfWork.for_reads(Scope.tenant(owner.id)) as uow:  # and a replica never takes a write
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await uow.execute("UPDATE stat_table SET title = 'x' WHERE stats_data_id = $1", sid)


async def test_a_replica_that_does_not_answer_costs_capacity_never_an_answer(replica):
    """(Last in this file: it closes the module's replica pool.)"""
    dead = "postgresql://govstat_app:govstat_app@127.0.0.1:1/none"
    await replicas.start([dead])  # beside the live one: every read still lands on the live one
    ports = {(await on_replica("SELECT inet_server_port() AS port"))["port"] for _ in range(4)}
    assert ports == {REPLICA_PORT}
    await replicas.close()
    await replicas.start([dead])  # none answers: the reads go to the primary, read-only all the same
    read = await on_replica("SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro")
    assert (read["standby"], read["ro"]) == (False, "on")
    await replicas.close()

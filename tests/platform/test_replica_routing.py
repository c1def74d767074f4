"""Issue 15 §5: reads leave a replica that lags or is down, and a client reads its own writes.

With the real hot-standby replica (ops/services/postgres-replica.sh): replay paused there, a write on
the primary takes the replica out of the reads' rotation within the lag limit and replay resumed
brings it back; a replica that goes away mid-run costs no answer; and after an agency's own write
(scheduling its table's publication) its public reads see it while the replica, paused, does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

import asyncpg
import pytest

from govstat.platform.db import replicas
from govstat.platform.db.engine import primary_lsn
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.web import read_after
from tests.platform.subsystems.statdb.statdb_support import agency, run_publish_jobs
from tests.platform.test_replicas import PG_PORT, REPLICA_PORT, SUPER, TEST_DB, draft, until
from tests.support.factories import sign_in
from tests.support.server import free_port
from tests.support.services import SERVICES, run

APP_URL = "postgresql://govstat_app:govstat_app@127.0.0.1:{port}/" + TEST_DB


@pytest.fixture
async def admin():
    """The replica's superuser (it pauses and resumes replay); the module's replica pools closed after."""
    run([str(SERVICES / "postgres-replica.sh"), "start"], timeout=600)
    con = await asyncpg.connect(SUPER)
    await con.execute("SELECT pg_wal_replay_resume()")
    try:
        yield con
    finally:
        await con.execute("SELECT pg_wal_replay_resume()")
        await con.close()
        await replicas.close()


@pytest.fixture
def log_lines():
    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("govstat.db.replicas")
    level, logger.level = logger.level, logging.INFO
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


async def read_port(after_lsn: int = 0) -> int:
    async with UnitOfWork.for_reads(Scope(), after_lsn=after_lsn) as uow:
        return await uow.fetchval("SELECT inet_server_port()")


def checked() -> bool:
    return all(r["replayed"] != -1 or r["lag_ms"] == float("inf") for r in replicas.status())


async def on(port: int) -> bool:
    return await read_port() == port


async def test_a_lagging_replica_leaves_the_rotation_and_comes_back(admin, log_lines):
    owner = await agency()
    await replicas.start([APP_URL.format(port=REPLICA_PORT)], primary_lsn=primary_lsn, max_lag_ms=300, check_ms=50)
    # (the shared development cluster's other databases may keep the replica's replay busy a moment)
    await until(lambda: on(REPLICA_PORT), 20.0)
    await admin.execute("SELECT pg_wal_replay_pause()")
    await draft(owner, 1511)  # a commit on the primary the replica cannot replay
    assert await until(lambda: on(PG_PORT), 3.0) < 2.0  # 300 ms behind, then a check or two
    assert replicas.status()[0]["in_rotation"] is False and replicas.status()[0]["lag_ms"] > 300
    assert any("out of rotation" in line and "behind more than 300 ms" in line for line in log_lines)
    log_lines.clear()
    await admin.execute("SELECT pg_wal_replay_resume()")
    await until(lambda: on(REPLICA_PORT), 20.0)
    assert any("back in rotation" in line for line in log_lines)


class Proxy:
    """A TCP hop in front of the replica that can be cut, as if the replica's machine went away."""

    def __init__(self) -> None:
        self.port = free_port()
        self.writers: list[asyncio.StreamWriter] = []

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        r2, w2 = await asyncio.open_connection("127.0.0.1", REPLICA_PORT)
        self.writers += [writer, w2]
        await asyncio.gather(self._pipe(reader, w2), self._pipe(r2, writer))

    async def __aenter__(self) -> Proxy:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        return self

    async def cut(self) -> None:
        self.server.close()
        for w in self.writers:
            w.transport.abort()

    async def __aexit__(self, *exc: object) -> None:
        await self.cut()


async def test_a_replica_that_goes_away_costs_no_answer(admin, client, log_lines):
    async with Proxy() as proxy:
        await replicas.start([APP_URL.format(port=proxy.port)], primary_lsn=primary_lsn, max_lag_ms=1000, check_ms=50)
        await until(lambda: asyncio.sleep(0, checked()))
        await until(lambda: on(REPLICA_PORT), 20.0)
        assert (await client.get("/estat")).status_code == 200
        await proxy.cut()
        statuses = [(await client.get("/estat")).status_code for _ in range(5)]
        assert statuses == [200] * 5  # answered by the primary meanwhile
        assert await read_port() == PG_PORT
        # refused at once, or silent past the 1 s limit (and the checks wait on a busy CI machine)
        await until(lambda: asyncio.sleep(0, replicas.status()[0]["in_rotation"] is False), 10.0)
        assert any("does not answer" in line for line in log_lines)


async def test_an_agency_reads_its_own_publication_while_the_replica_lags(admin, client, app):
    import httpx

    # a generous lag limit: the paused replica stays in rotation, only read-your-writes moves reads
    await replicas.start([APP_URL.format(port=REPLICA_PORT)], primary_lsn=primary_lsn, max_lag_ms=60_000, check_ms=50)
    owner = await agency()
    sid = await draft(owner, 1512)
    csrf = await sign_in(client, owner.admin_login)
    await admin.execute("SELECT pg_wal_replay_pause()")
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3)
    made = await client.post(
        f"/api/statdb/tables/{sid}/schedule", json={"publish_at": at.isoformat()}, headers={"x-csrf-token": csrf}
    )
    assert made.status_code == 200, made.text
    cookie = client.cookies.get(read_after.COOKIE)
    assert cookie, "a write answers with the read-your-writes cookie"
    await asyncio.sleep(0.4)
    await run_publish_jobs()

    transport = httpx.ASGITransport(app=app, client=("10.9.9.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as stranger:
        assert (await stranger.get(f"/estat/tables/{sid}")).status_code == 404  # the replica has not replayed it
        assert (await client.get(f"/estat/tables/{sid}")).status_code == 200  # the agency reads the primary
        stranger.cookies.set(read_after.COOKIE, cookie[:-1] + ("0" if cookie[-1] != "0" else "1"))
        assert (await stranger.get(f"/estat/tables/{sid}")).status_code == 404  # a forged cookie counts for nothing

    lsn = int(cookie.partition(".")[0], 16)
    assert await read_port(after_lsn=lsn) == PG_PORT
    await admin.execute("SELECT pg_wal_replay_resume()")

    async def back() -> bool:  # once replayed, its reads return to the replica (not when the cookie ends)
        return await read_port(after_lsn=lsn) == REPLICA_PORT

    await until(back, 20.0)

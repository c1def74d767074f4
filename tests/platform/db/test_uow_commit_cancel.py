"""COMMIT with the pool's reset (platform/db/commit.py) when the COMMIT does not finish: the request's
task cancelled while it waits for the COMMIT (the client went away, a deadline), or the statement
timeout firing at COMMIT. The next user of the pooled connection finds no session state, above all no
tenant setting left set for the session (row-level security reads app.tenant_id)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.db.test_uow_commit import LEFT, leave_state, the_connection

TENANT = "SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.role', true) AS role"
SLOW_COMMIT = "DECLARE slow CURSOR WITH HOLD FOR SELECT pg_sleep(0.6)"  # a held cursor is filled at COMMIT


async def _careless(uow: UnitOfWork, tenant: uuid.UUID) -> tuple[int, int]:
    """Session state and a tenant setting set for the whole session, then a COMMIT that takes time."""
    pid = await leave_state(uow)
    await uow.execute(
        "SELECT set_config('app.tenant_id', $1, false), set_config('app.role', 'admin', false)", str(tenant)
    )
    await uow.execute(SLOW_COMMIT)
    xid: int = await uow.fetchval("SELECT txid_current()")
    return pid, xid


async def _nothing_left(pid: int, xid: int) -> None:
    async with the_connection(pid) as c:
        assert dict(await c.fetchrow(LEFT)) == {"setting": "", "locks": 0, "cursors": 0, "listens": 0}
        assert dict(await c.fetchrow(TENANT)) == {"tenant": "", "role": ""}
        assert await c.fetchval("SELECT array_agg(name || ':' || statement) FROM pg_cursors WHERE name <> ''") is None
        assert not c.is_in_transaction()
        status = await c.fetchval("SELECT txid_status($1)", xid)
        assert status in ("aborted", "committed")


async def test_a_task_cancelled_while_its_commit_runs_leaves_nothing_to_the_next_user():
    tenant = uuid.uuid4()
    seen: dict[str, int] = {}

    async def request() -> None:
        async with UnitOfWork(Scope.tenant(tenant)) as uow:
            seen["pid"], seen["xid"] = await _careless(uow, tenant)
            seen["raw"] = id(uow.connection._con)  # type: ignore[attr-defined]
            seen["ready"] = 1

    task = asyncio.create_task(request())
    while "ready" not in seen:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # now inside COMMIT (filling the held cursor)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _nothing_left(seen["pid"], seen["xid"])
    async with UnitOfWork(Scope.system("after")) as uow:
        assert await uow.fetchval("SELECT 1") == 1


async def test_a_statement_timeout_does_not_fire_at_commit_and_nothing_is_left():
    """PostgreSQL stops the statement timer before it commits (finish_xact_command): a COMMIT that
    takes longer than the limit still commits, and carries the reset."""
    tenant = uuid.uuid4()
    async with UnitOfWork(Scope.tenant(tenant), statement_timeout_ms=200) as uow:
        pid, xid = await _careless(uow, tenant)
    await _nothing_left(pid, xid)
    async with the_connection(pid) as c:
        assert await c.fetchval("SELECT txid_status($1)", xid) == "committed"

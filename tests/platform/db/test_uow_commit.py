"""COMMIT and the pool's session reset in one round trip (platform/db/commit.py, issue 10 §7): the next
user of a pooled connection finds no session state a unit of work left (settings, advisory locks,
cursors, listens), whether the reset went with COMMIT or, when COMMIT failed, on release."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asyncpg.connection import LoggedQuery

from govstat.platform.db import commit
from govstat.platform.db.engine import DB
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.security import Scope

LEFT = (
    "SELECT current_setting('app.left', true) AS setting,"
    " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,"
    " (SELECT count(*) FROM pg_cursors WHERE name = 'kept') AS cursors, (SELECT count(*) FROM pg_listening_channels()) AS listens"
)


async def leave_state(uow: UnitOfWork) -> int:
    """Session-level state a careless use case could leave on its connection (a custom setting reads
    back as "" once set, as after asyncpg's own reset): its backend's pid."""
    await uow.execute("SELECT set_config('app.left', 'leaked', false), pg_advisory_lock(424242)")
    await uow.execute("DECLARE kept CURSOR WITH HOLD FOR SELECT 1")
    await uow.execute("LISTEN left_channel")
    pid: int = await uow.fetchval("SELECT pg_backend_pid()")
    return pid


@contextlib.asynccontextmanager
async def the_connection(pid: int) -> AsyncIterator[Any]:
    """The pool's connection to backend `pid` (all taken at once, so it is among them)."""
    assert DB.pool is not None
    taken = [await DB.pool.acquire() for _ in range(DB.pool.get_max_size())]
    try:
        pids = [await c.fetchval("SELECT pg_backend_pid()") for c in taken]
        assert pid in pids
        yield taken[pids.index(pid)]
    finally:
        for c in taken:
            await DB.pool.release(c)


async def test_commit_carries_the_reset_and_the_next_user_finds_nothing_left():
    statements: list[str] = []

    def log(query: LoggedQuery) -> None:
        statements.append(query.query)

    async with UnitOfWork(Scope.system("commit-reset")) as uow:
        pid = await leave_state(uow)
        raw = uow.connection._con  # type: ignore[attr-defined]
        raw.add_query_logger(log)
        xid = await uow.fetchval("SELECT txid_current()")
    await asyncio.sleep(0.05)  # asyncpg calls query loggers soon after, not at once
    raw.remove_query_logger(log)
    # COMMIT and the reset as one query, and no separate reset on release
    assert [q.split(";")[0] for q in statements] == ["SELECT txid_current()", "COMMIT"]
    assert "RESET ALL" in statements[1]
    assert not commit.was_reset(raw)  # the pool's release consumed the mark
    async with the_connection(pid) as c:
        assert dict(await c.fetchrow(LEFT)) == {"setting": "", "locks": 0, "cursors": 0, "listens": 0}
        assert await c.fetchval("SELECT txid_status($1)", xid) == "committed"


async def test_a_failed_commit_leaves_no_mark_and_the_pool_resets_on_release():
    with pytest.raises(GovstatError):
        async with UnitOfWork(Scope.system("commit-fails")) as uow:
            pid = await leave_state(uow)
            raw = uow.connection._con  # type: ignore[attr-defined]
            xid = await uow.fetchval("SELECT txid_current()")
            await uow.execute(
                "CREATE TEMP TABLE once (id int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP;"
                " INSERT INTO once VALUES (1), (1)"
            )  # the duplicate is found at COMMIT
    assert not commit.was_reset(raw)
    async with the_connection(pid) as c:
        assert dict(await c.fetchrow(LEFT)) == {"setting": "", "locks": 0, "cursors": 0, "listens": 0}
        assert await c.fetchval("SELECT txid_status($1)", xid) == "aborted"
        assert not c.is_in_transaction()
    async with UnitOfWork(Scope.system("after")) as uow:  # the pool goes on as ever
        assert await uow.fetchval("SELECT 1") == 1

"""Bounded waits (issue 8): a request waits for a pooled connection at most
GOVSTAT_DB_ACQUIRE_TIMEOUT_SECONDS and for each statement at most GOVSTAT_DB_STATEMENT_TIMEOUT_MS,
then answers 503 problem details with Retry-After, instead of hanging."""

from __future__ import annotations

import os
import time
from contextlib import asynccontextmanager

import asyncpg
import msgspec
import pytest

from govstat.platform.db.engine import DB
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings, set_settings


@asynccontextmanager
async def settings(**changes):
    before = get_settings()
    set_settings(msgspec.structs.replace(before, **changes))
    try:
        yield
    finally:
        set_settings(before)


def assert_busy(r, started: float, limit: float) -> None:
    assert r.status_code == 503, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert int(r.headers["retry-after"]) > 0
    assert r.json()["status"] == 503
    assert time.monotonic() - started < limit


@pytest.mark.timeout(60)  # before the fix the request waited for ever
async def test_an_exhausted_pool_answers_503_with_retry_after_within_the_acquire_timeout(client):
    held = [await DB.pool.acquire() for _ in range(DB.pool.get_max_size())]
    try:
        async with settings(db_acquire_timeout_seconds=0.3):
            for path in ("/area/codes/01236", "/estat/statistics/00200521", "/api/area/codes/01236"):
                started = time.monotonic()
                assert_busy(await client.get(path), started, limit=2.0)
            started = time.monotonic()
            r = await client.get("/readyz")
            assert r.status_code == 503 and r.headers["retry-after"]
            assert r.json()["checks"]["postgres"] == "error"
            assert time.monotonic() - started < 2.0
    finally:
        for conn in held:
            await DB.pool.release(conn)
    r = await client.get("/area/codes/01236")
    assert r.status_code == 200


@pytest.mark.timeout(60)
async def test_a_statement_past_the_timeout_answers_503_with_retry_after(client):
    # The owner holds a lock that the page's read waits for: without a statement timeout it waits forever.
    owner = await asyncpg.connect(os.environ["GOVSTAT_MIGRATION_DATABASE_URL"])
    try:
        async with owner.transaction():
            await owner.execute("LOCK TABLE area_version IN ACCESS EXCLUSIVE MODE")
            async with settings(db_statement_timeout_ms=300):
                started = time.monotonic()
                assert_busy(await client.get("/area/codes/01236"), started, limit=3.0)
    finally:
        await owner.close()
    assert (await client.get("/area/codes/01236")).status_code == 200


@pytest.mark.timeout(60)
async def test_outside_requests_an_acquire_still_gives_up_after_the_timeout():
    held = [await DB.pool.acquire() for _ in range(DB.pool.get_max_size())]
    try:
        async with settings(db_acquire_timeout_seconds=0.2):
            from govstat.platform.errors import Unavailable

            with pytest.raises(Unavailable):
                async with UnitOfWork(Scope.system("job")):
                    pass
    finally:
        for conn in held:
            await DB.pool.release(conn)

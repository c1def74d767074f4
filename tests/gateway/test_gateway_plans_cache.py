"""The fee plans every request needs (issue 8): when the cache expires under a crowd with the pool
exhausted, requests go on with the cached plans instead of each queueing for a connection."""

from __future__ import annotations

import asyncio
import time

import pytest

from govstat.gateway import plans
from govstat.platform.db.engine import DB


@pytest.mark.timeout(30)  # before: each call waited for a connection, with no limit
async def test_expired_plans_are_served_from_the_cache_while_the_pool_is_exhausted():
    plans.forget()
    anonymous = await plans.plan_limit("anonymous")  # loaded from fee_plan
    held = [await DB.pool.acquire() for _ in range(DB.pool.get_max_size())]
    try:
        plans._loaded_at = time.monotonic() - plans.CACHE_SECONDS - 1  # expired
        started = time.monotonic()
        limits = await asyncio.gather(*(plans.plan_limit("anonymous") for _ in range(50)))
        assert time.monotonic() - started < 0.5
        assert set(limits) == {anonymous}
    finally:
        for conn in held:
            await DB.pool.release(conn)
    await asyncio.sleep(0.1)  # the one reload runs once a connection is free
    for _ in range(50):
        if time.monotonic() - plans._loaded_at < plans.CACHE_SECONDS:
            break
        await asyncio.sleep(0.1)
    assert time.monotonic() - plans._loaded_at < plans.CACHE_SECONDS

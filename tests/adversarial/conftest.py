"""The adversarial suite calls every route, reloads and runs included: the jobs those calls queued are
cleared after each module, so a later test's burst worker runs its own jobs, not a backlog of area and
classification reloads (which made one billing test take minutes and reloaded shared data under it)."""

from __future__ import annotations

import pytest_asyncio
from arq.constants import default_queue_name, job_key_prefix


@pytest_asyncio.fixture(scope="module", autouse=True)
async def _clear_queued_jobs():
    yield
    from govstat.platform.cache import redis_client

    redis = redis_client()
    queued = await redis.zrange(default_queue_name, 0, -1)
    if queued:
        ids = [q.decode() if isinstance(q, bytes) else q for q in queued]
        await redis.delete(*(job_key_prefix + i for i in ids))
        await redis.zrem(default_queue_name, *queued)

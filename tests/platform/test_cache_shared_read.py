"""One read for every caller of a key while it is under way (platform/cache.py `shared_read`): the
calls in flight when a per-process entry expires under load (the API key, the tenant's profile)."""

import asyncio

import pytest

from govstat.gateway.subscriptions import tenant_profile
from govstat.platform.cache import SUBSCRIPTIONS_KEY, local, shared_read
from tests.support.factories import make_tenant


async def test_concurrent_callers_share_one_read_and_its_error():
    reads = 0

    async def read():
        nonlocal reads
        reads += 1
        await asyncio.sleep(0.02)
        return object()

    results = await asyncio.gather(*(shared_read("test:shared", read) for _ in range(20)))
    assert reads == 1 and all(r is results[0] for r in results)
    assert await shared_read("test:shared", read) is not results[0] and reads == 2  # done: the next reads again

    async def failing():
        await asyncio.sleep(0.01)
        raise ConnectionError("down")

    outcomes = await asyncio.gather(*(shared_read("test:failing", failing) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(o, ConnectionError) for o in outcomes)


async def test_one_callers_cancellation_leaves_the_read_to_the_others():
    async def read():
        await asyncio.sleep(0.05)
        return "value"

    first = asyncio.create_task(shared_read("test:cancel", read))
    second = asyncio.create_task(shared_read("test:cancel", read))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == "value"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_calls_in_flight_when_the_profile_expires_read_it_once():
    t = await make_tenant(modules=("area",))
    key = SUBSCRIPTIONS_KEY.format(t.id)
    local.delete(key)  # as when the 2 s entry expires
    profiles = await asyncio.gather(*(tenant_profile(t.id) for _ in range(16)))
    assert "area" in profiles[0].modules
    assert all(p is profiles[0] for p in profiles)  # one read, one decoded profile, for all 16

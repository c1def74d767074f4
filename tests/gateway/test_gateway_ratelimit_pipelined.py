"""The rate-limit checks of one event-loop turn go to Redis in one pipelined write (issue 15):
each stays its own atomic script, each caller gets its own reply, and one check's error does not
shift the replies of the others."""

import asyncio
import uuid

from govstat.gateway.metering import OPEN
from govstat.gateway.ratelimit import Limit, RateLimiter
from govstat.platform.cache import redis_client
from govstat.platform.events.envelope import UsagePayload, encode, new_event


def _admitted() -> tuple[str, bytes]:
    e = new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", status=0, units=1))
    return str(e.id), encode(e)


async def test_concurrent_checks_in_one_batch_admit_exactly_the_burst_and_open_only_those():
    redis = redis_client()
    limiter = RateLimiter(redis)
    limit = Limit(quota=1, window=3600, burst=5)
    who = f"test:{uuid.uuid4().hex[:8]}"
    opened = [_admitted() for _ in range(30)]
    verdicts = await asyncio.gather(*(limiter.check(who, limit, o) for o in opened))
    assert sum(v.allowed for v in verdicts) == 5  # atomic per check: never more than the burst
    for (event_id, _), verdict in zip(opened, verdicts, strict=True):
        assert await redis.hexists(OPEN, event_id) == verdict.allowed  # each reply is its own call's
    await redis.hdel(OPEN, *[event_id for event_id, _ in opened])


async def test_an_error_reply_fails_only_its_own_check():
    redis = redis_client()
    limiter = RateLimiter(redis)
    limit = Limit(quota=100, window=60)  # a burst of ten
    broken, fine = f"test:{uuid.uuid4().hex[:8]}", f"test:{uuid.uuid4().hex[:8]}"
    await redis.hset(f"govstat:rl:{broken}", "x", "1")  # GET on a hash: WRONGTYPE inside the script
    results = await asyncio.gather(
        limiter.check(fine, limit), limiter.check(broken, limit), limiter.check(fine, limit), return_exceptions=True
    )
    assert [isinstance(r, Exception) for r in results] == [False, True, False]
    assert [r.allowed for r in results if not isinstance(r, Exception)] == [True, True]
    assert (await limiter.check(fine, limit)).remaining < results[2].remaining  # the connection stayed in step
    await redis.delete(f"govstat:rl:{broken}", f"govstat:rl:{fine}")

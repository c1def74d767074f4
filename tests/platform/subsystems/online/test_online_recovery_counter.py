"""The respondent's "three links an hour" counter never outlives its hour (review h20).

It was set in two Redis calls (INCR, then EXPIRE on the first count): a worker lost between them
left the counter without an expiry, and once it reached three no recovery link was ever sent for
that login again. The connection to the real Redis is cut right after INCR reached it (a proxy,
tests/support/redis_cut.py); whatever is left must expire."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from govstat.platform import cache
from govstat.platform.jobs.spec import JobContext
from govstat.platform.subsystems.online.recovery import service
from tests.platform.subsystems.online.online_support import agency, survey_with_respondents
from tests.support.queued_jobs import clear_queued_jobs
from tests.support.redis_cut import CutProxy


async def _respondent(client) -> tuple[dict, str]:
    await clear_queued_jobs()
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=1)
    me = creds[0]
    key = service.COUNT_KEY.format(me["login"])
    await cache.redis_client().delete(key)
    return me, key


def _asked(me: dict) -> service.RequestArgs:
    return service.RequestArgs(
        job_id="online.recovery_request:t", login=me["login"], email_sha256=service._digest(me["email"])
    )


async def test_a_crash_after_the_count_leaves_no_counter_without_expiry(client, monkeypatch):
    me, key = await _respondent(client)
    real = cache.redis_client()
    where = real.connection_pool.connection_kwargs
    proxy = CutProxy(where["port"], "INCR", "INCRBY")  # redis-py sends INCR as INCRBY key 1
    async with proxy.client(where["db"]) as through:
        monkeypatch.setattr(cache, "_redis", through)
        with pytest.raises(RedisConnectionError):
            await service.check_request(JobContext(raw={}), _asked(me))
        monkeypatch.undo()
    assert proxy.cut.is_set()
    # -2: nothing counted (the transaction died with the connection); else a counter that expires
    assert await real.ttl(key) != -1


async def test_a_counter_left_without_expiry_gets_one_back(client):
    """A counter an older process left at the limit with no expiry: the next request gives it one."""
    me, key = await _respondent(client)
    real = cache.redis_client()
    await real.set(key, service.LINKS_PER_HOUR)
    assert await service.check_request(JobContext(raw={}), _asked(me)) == "over the limit"
    assert 0 < await real.ttl(key) <= 3600

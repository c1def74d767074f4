"""A session and the user's index of sessions are written together (review h20): the index's expiry
was a call of its own after SADD, so a process lost between them left an index that never expired
and grew with every sign-in. The connection to the real Redis is cut right after SADD reached it."""

import uuid

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from govstat.gateway.sessions import SessionData, SessionStore
from govstat.platform.cache import USER_SESSIONS_KEY, redis_client
from tests.support.redis_cut import CutProxy


async def test_a_crash_after_sadd_leaves_no_index_without_expiry():
    real = redis_client()
    where = real.connection_pool.connection_kwargs
    user = uuid.uuid4()
    proxy = CutProxy(where["port"], "SADD")
    async with proxy.client(where["db"]) as through:
        with pytest.raises(RedisConnectionError):
            await SessionStore(through, 600).create(SessionData(user_id=user, login="u", name="u", roles=[]))
    assert proxy.cut.is_set()
    assert await real.ttl(USER_SESSIONS_KEY.format(user)) != -1

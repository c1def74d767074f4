"""The Redis client and the few key conventions shared across parts.

Redis keys always carry what they belong to (a tenant, a user, a key prefix).
"""
from __future__ import annotations

import uuid

from redis.asyncio import Redis

from govstat.platform.settings import get_settings

SESSION_KEY = "govstat:session:{}"
USER_SESSIONS_KEY = "govstat:user-sessions:{}"
API_KEY_CACHE_KEY = "govstat:apikey:{}"
SUBSCRIPTIONS_KEY = "govstat:subs:{}"
APP_ID_CACHE_KEY = "govstat:appid:{}"

_redis: Redis | None = None


def redis_client() -> Redis:
    global _redis
    if _redis is None:
        _redis = Redis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)
    return _redis


async def close_redis() -> None:
    global _redis
    if _redis is not None:
        await _redis.aclose()
        _redis = None


async def forget_api_key(prefix: str) -> None:
    await redis_client().delete(API_KEY_CACHE_KEY.format(prefix))


async def forget_subscriptions(tenant_id: uuid.UUID) -> None:
    await redis_client().delete(SUBSCRIPTIONS_KEY.format(tenant_id))


async def end_user_sessions(user_id: uuid.UUID) -> None:
    r = redis_client()
    key = USER_SESSIONS_KEY.format(user_id)
    sids = await r.smembers(key)
    if sids:
        await r.delete(*[SESSION_KEY.format(s.decode() if isinstance(s, bytes) else s) for s in sids])
    await r.delete(key)


async def forget_app_id(app_id: str) -> None:
    await redis_client().delete(APP_ID_CACHE_KEY.format(app_id))

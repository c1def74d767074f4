"""Sessions for people, kept in Redis (one sign-on for every subsystem, AUTH-1 / PORTAL-1)."""

from __future__ import annotations

import secrets
import time
import uuid

import msgspec
from redis.asyncio import Redis

from govstat.platform.cache import SESSION_KEY, USER_SESSIONS_KEY, end_user_sessions
from govstat.platform.web.headers import SESSION_COOKIE

COOKIE = SESSION_COOKIE
_KEY = SESSION_KEY


class SessionData(msgspec.Struct, kw_only=True):
    user_id: uuid.UUID
    login: str
    name: str
    roles: list[str]
    tenant_id: uuid.UUID | None = None
    csrf: str = ""
    created_at: float = 0.0


class SessionStore:
    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl = ttl_seconds

    async def create(self, data: SessionData) -> str:
        sid = secrets.token_urlsafe(32)
        data.csrf = secrets.token_urlsafe(24)
        data.created_at = time.time()
        index = USER_SESSIONS_KEY.format(data.user_id)
        # the session and its place in the user's index (so that disabling a user ends all their
        # sessions) in one MULTI/EXEC: as separate calls, a process lost after SADD left the index
        # without an expiry (review h20), growing with every sign-in
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(_KEY.format(sid), msgspec.json.encode(data), ex=self.ttl)
            pipe.sadd(index, sid)
            pipe.expire(index, self.ttl)
            await pipe.execute()
        return sid

    async def get(self, sid: str) -> SessionData | None:
        if not sid or len(sid) > 128:
            return None
        raw = await self.redis.get(_KEY.format(sid))
        return msgspec.json.decode(raw, type=SessionData) if raw else None

    async def delete(self, sid: str) -> None:
        await self.redis.delete(_KEY.format(sid))

    async def end_user_sessions(self, user_id: uuid.UUID) -> None:
        await end_user_sessions(user_id)

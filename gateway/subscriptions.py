"""A tenant's plan and subscribed modules (tenants/directory.py), cached in Redis (invalidated when
they change)."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.cache import SUBSCRIPTIONS_KEY, local, redis_client, shared_read
from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.tenants import directory

CACHE_SECONDS = 300


TenantProfile = directory.Profile


def cached_profile(tenant_id: uuid.UUID) -> TenantProfile | None:
    """The profile when this process has it (no await: the gateway's every call); None: ask
    `tenant_profile`."""
    hit = local.get(SUBSCRIPTIONS_KEY.format(tenant_id))
    return hit if isinstance(hit, TenantProfile) else None


async def tenant_profile(tenant_id: uuid.UUID) -> TenantProfile:
    key = SUBSCRIPTIONS_KEY.format(tenant_id)
    hit = local.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    # one read for all the calls in flight when the entry expired (a pure read of the tenant's row)
    return await shared_read(key, lambda: _read_profile(tenant_id, key))


async def _read_profile(tenant_id: uuid.UUID, key: str) -> TenantProfile:
    redis = redis_client()
    try:
        cached = await redis.get(key)
    except Exception:
        cached = None
    if cached is not None:
        profile = msgspec.json.decode(cached, type=TenantProfile)
        local.set(key, profile)
        return profile
    async with UnitOfWork(Scope.tenant(tenant_id, actor="gateway")) as uow:
        found = await directory.profile(uow, tenant_id, today_jst())
    profile = found or TenantProfile(plan="standard", status="unknown", modules=frozenset())
    try:
        await redis.set(key, msgspec.json.encode(profile), ex=CACHE_SECONDS)
    except Exception:
        pass
    local.set(key, profile)
    return profile

"""Checking credentials against the tenants' records (in a system scope: the tenant is not known yet)."""

from __future__ import annotations

import datetime as dt

import msgspec
from redis.asyncio import Redis

from govstat.gateway.principals import principal_for
from govstat.gateway.rows import AppIdOwner, KeyCheck, PasswordCheck, SignedIn
from govstat.platform.cache import API_KEY_CACHE_KEY, APP_ID_CACHE_KEY, local
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal, Scope
from govstat.tenants.apikeys import matches, parse_token
from govstat.tenants.passwords import verify_password

API_KEY_CACHE_SECONDS = 60

USER_SQL = """
SELECT u.id, u.login, u.display_name, u.password_hash, u.roles, u.status, u.tenant_id, t.status AS tenant_status
FROM app_user u LEFT JOIN tenant t ON t.id = u.tenant_id WHERE u.login = $1
"""

KEY_SQL = """
SELECT k.id, k.name, k.key_hash, k.roles, k.tenant_id, k.revoked_at, t.status AS tenant_status
FROM api_key k JOIN tenant t ON t.id = k.tenant_id WHERE k.prefix = $1
"""

# A tenant that has not started, or has left, has no working credentials.
USABLE_TENANT = {"active", "contracted", "withdrawal_applied", "withdrawal_approved"}


async def check_password(login: str, password: str) -> SignedIn | None:
    """The user when login and password match an active user of a usable tenant."""
    async with UnitOfWork(Scope.system("gateway")) as uow:
        row = await uow.row(PasswordCheck, USER_SQL, login)
    ok = await verify_password(row.password_hash if row else None, password)
    if not ok or row is None or row.status != "active":
        return None
    if row.tenant_id is not None and row.tenant_status not in USABLE_TENANT:
        return None
    return SignedIn(id=row.id, login=row.login, display_name=row.display_name, roles=row.roles, tenant_id=row.tenant_id)


async def principal_for_api_key(token: str, redis: Redis | None) -> Principal | None:
    prefix = parse_token(token)
    if prefix is None:
        return None
    cache_key = API_KEY_CACHE_KEY.format(prefix)
    hit = local.get(cache_key)
    if hit is not None:
        hashed, principal = hit  # type: ignore[misc]
        return principal if matches(token, hashed) else None
    if redis is not None:
        try:
            cached = await redis.get(cache_key)
        except Exception:
            cached = None
        if cached:
            hashed, principal = msgspec.json.decode(cached, type=tuple[str, Principal])
            local.set(cache_key, (hashed, principal))
            return principal if matches(token, hashed) else None
    async with UnitOfWork(Scope.system("gateway")) as uow:
        row = await uow.row(KeyCheck, KEY_SQL, prefix)
        if row is None or row.revoked_at is not None or row.tenant_status not in USABLE_TENANT:
            return None
        if not matches(token, row.key_hash):
            return None
        await uow.execute("UPDATE api_key SET last_used_at = $2 WHERE id = $1", row.id, dt.datetime.now(dt.UTC))
    principal = principal_for(
        subject=row.id, name=row.name, roles=list(row.roles), tenant_id=row.tenant_id, via="api_key"
    )
    local.set(cache_key, (row.key_hash, principal))
    if redis is not None:
        try:
            await redis.set(cache_key, msgspec.json.encode((row.key_hash, principal)), ex=API_KEY_CACHE_SECONDS)
        except Exception:
            pass
    return principal


APP_ID_SQL = """
SELECT a.user_id, u.display_name FROM app_id a JOIN app_user u ON u.id = a.user_id
WHERE a.app_id = $1 AND a.revoked_at IS NULL AND u.status = 'active'
"""


async def principal_for_app_id(app_id: str, redis: Redis | None) -> Principal | None:
    """A registered general user's principal for the public API (e-Stat appId)."""
    if len(app_id) != 40:
        return None
    key = APP_ID_CACHE_KEY.format(app_id)
    if redis is not None:
        try:
            cached = await redis.get(key)
            if cached:
                return msgspec.json.decode(cached, type=Principal) if cached != b"-" else None
        except Exception:
            pass
    async with UnitOfWork(Scope.system("gateway")) as uow:
        row = await uow.row(AppIdOwner, APP_ID_SQL, app_id)
    principal = (
        principal_for(subject=row.user_id, name=row.display_name, roles=["public"], tenant_id=None, via="app_id")
        if row
        else None
    )
    if redis is not None:
        try:
            await redis.set(key, msgspec.json.encode(principal) if principal else b"-", ex=API_KEY_CACHE_SECONDS)
        except Exception:
            pass
    return principal

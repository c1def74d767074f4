"""Checking credentials against the tenants' records, read through tenants/credentials.py (in a
system scope: the tenant is not known yet)."""

from __future__ import annotations

import datetime as dt
import hmac
import re

import msgspec
from redis.asyncio import Redis

from govstat.gateway.principals import principal_for
from govstat.gateway.rows import SignedIn
from govstat.platform.cache import API_KEY_CACHE_KEY, APP_ID_CACHE_KEY, local, shared_read
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal, Role, Scope
from govstat.platform.subsystems.online.published import respondent_for_login, respondent_rehashed
from govstat.tenants import credentials
from govstat.tenants.apikeys import matches, parse_token
from govstat.tenants.passwords import verify_and_upgrade

API_KEY_CACHE_SECONDS = 60

# A tenant that has not started, or has left, has no working credentials.
USABLE_TENANT = {"active", "contracted", "withdrawal_applied", "withdrawal_approved"}
# Login IDs issued to survey respondents (online surveys): R and eleven digits, never a user's login.
RESPONDENT_LOGIN = re.compile(r"R[0-9]{11}")


async def check_password(login: str, password: str) -> SignedIn | None:
    """The user when login and password match an active user of a usable tenant, or the survey
    respondent a login ID was issued to (the pipeline checks their tenant at every request). A
    matching hash made with earlier argon2 parameters is replaced by one made with today's."""
    if RESPONDENT_LOGIN.fullmatch(login):
        async with UnitOfWork(Scope.system("gateway")) as uow:
            who = await respondent_for_login(uow, login)
        ok, upgraded = await verify_and_upgrade(who.password_hash if who else None, password)
        if not ok or who is None:
            return None
        if upgraded:
            async with UnitOfWork(Scope.system("gateway")) as uow:
                await respondent_rehashed(uow, who.id, who.password_hash, upgraded)
        return SignedIn(
            id=who.id, login=who.login, display_name=who.name, roles=[Role.RESPONDENT.value], tenant_id=who.tenant_id
        )
    async with UnitOfWork(Scope.system("gateway")) as uow:
        row = await credentials.user_by_login(uow, login)
    ok, upgraded = await verify_and_upgrade(row.password_hash if row else None, password)
    if not ok or row is None or row.status != "active":
        return None
    if upgraded:
        async with UnitOfWork(Scope.system("gateway")) as uow:
            await credentials.password_rehashed(uow, row.id, row.password_hash, upgraded)
    if row.tenant_id is not None and row.tenant_status not in USABLE_TENANT:
        return None
    return SignedIn(id=row.id, login=row.login, display_name=row.display_name, roles=row.roles, tenant_id=row.tenant_id)


class _Key:
    """A key's entry in the per-process cache: its stored hash, its principal, and the token that
    last matched the hash here, so that the same caller's next calls compare the token (in constant
    time) instead of computing the keyed hash again. It lives as long as the entry (LocalCache's
    ttl, 2 s), and a revoked key's entry is dropped (forget_api_key), the token with it."""

    __slots__ = ("hashed", "principal", "verified")

    def __init__(self, hashed: str, principal: Principal) -> None:
        self.hashed, self.principal, self.verified = hashed, principal, b""


def cached_principal_for_api_key(token: str) -> Principal | None:
    """The principal when this process has the key cached and `token` is the one that matched it
    last (no hash, no await); None: ask `principal_for_api_key`."""
    prefix = parse_token(token)
    hit = local.get(API_KEY_CACHE_KEY.format(prefix)) if prefix else None
    if isinstance(hit, _Key) and hit.verified and hmac.compare_digest(token.encode(), hit.verified):
        return hit.principal
    return None


def _checked(entry: _Key, token: str) -> Principal | None:
    if not matches(token, entry.hashed):
        return None
    entry.verified = token.encode()
    return entry.principal


async def principal_for_api_key(token: str, redis: Redis | None) -> Principal | None:
    prefix = parse_token(token)
    if prefix is None:
        return None
    cache_key = API_KEY_CACHE_KEY.format(prefix)
    hit = local.get(cache_key)
    if isinstance(hit, _Key):
        return _checked(hit, token)
    if redis is not None:
        try:
            cached = await shared_read(cache_key, lambda: redis.get(cache_key))
        except Exception:
            cached = None
        if cached:
            hashed, principal = msgspec.json.decode(cached, type=tuple[str, Principal])
            entry = _Key(hashed, principal)
            local.set(cache_key, entry)
            return _checked(entry, token)
    async with UnitOfWork(Scope.system("gateway")) as uow:
        row = await credentials.key_by_prefix(uow, prefix)
        if row is None or row.revoked_at is not None or row.tenant_status not in USABLE_TENANT:
            return None
        if not matches(token, row.key_hash):
            return None
        await credentials.key_used(uow, row.id, dt.datetime.now(dt.UTC))
    principal = principal_for(
        subject=row.id, name=row.name, roles=list(row.roles), tenant_id=row.tenant_id, via="api_key"
    )
    entry = _Key(row.key_hash, principal)
    entry.verified = token.encode()  # it matched the stored hash just above
    local.set(cache_key, entry)
    if redis is not None:
        try:
            await redis.set(cache_key, msgspec.json.encode((row.key_hash, principal)), ex=API_KEY_CACHE_SECONDS)
        except Exception:
            pass
    return principal


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
        row = await credentials.app_id_holder(uow, app_id)
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

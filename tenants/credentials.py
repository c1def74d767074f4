"""What the gateway checks credentials against (docs/decisions/0010): users by login, API keys by
prefix, appIds, each with its tenant's status. Tenants keep these tables; the gateway decides
what a credential is worth (gateway/credentials.py) and reads them only through here, in a system
scope (the tenant is not known yet)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True


class UserCredential(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    login: str
    display_name: str
    password_hash: str
    roles: list[str]
    status: str
    tenant_id: uuid.UUID | None = None
    tenant_status: str | None = None  # None: a registered general or on-site user, no tenant


class KeyCredential(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    key_hash: str
    roles: list[str]
    tenant_id: uuid.UUID
    revoked_at: dt.datetime | None = None
    tenant_status: str


class AppIdHolder(msgspec.Struct, kw_only=True):
    user_id: uuid.UUID
    display_name: str


async def user_by_login(uow: UnitOfWork, login: str) -> UserCredential | None:
    return await uow.row(
        UserCredential,
        "SELECT u.id, u.login, u.display_name, u.password_hash, u.roles, u.status, u.tenant_id,"
        " t.status AS tenant_status FROM app_user u LEFT JOIN tenant t ON t.id = u.tenant_id WHERE u.login = $1",
        login,
    )


async def key_by_prefix(uow: UnitOfWork, prefix: str) -> KeyCredential | None:
    return await uow.row(
        KeyCredential,
        "SELECT k.id, k.name, k.key_hash, k.roles, k.tenant_id, k.revoked_at, t.status AS tenant_status"
        " FROM api_key k JOIN tenant t ON t.id = k.tenant_id WHERE k.prefix = $1",
        prefix,
    )


async def key_used(uow: UnitOfWork, key_id: uuid.UUID, at: dt.datetime) -> None:
    await uow.execute("UPDATE api_key SET last_used_at = $2 WHERE id = $1", key_id, at)


async def password_rehashed(uow: UnitOfWork, user_id: uuid.UUID, old_hash: str, new_hash: str) -> None:
    """The gateway's sign-in upgrades a hash made with earlier argon2 parameters (platform/passwords.py);
    only while the old hash is still the stored one, so a password changed meanwhile is never undone."""
    await uow.execute(
        "UPDATE app_user SET password_hash = $3 WHERE id = $1 AND password_hash = $2", user_id, old_hash, new_hash
    )


async def app_id_holder(uow: UnitOfWork, app_id: str) -> AppIdHolder | None:
    """The active user whose unrevoked appId this is."""
    return await uow.row(
        AppIdHolder,
        "SELECT a.user_id, u.display_name FROM app_id a JOIN app_user u ON u.id = a.user_id"
        " WHERE a.app_id = $1 AND a.revoked_at IS NULL AND u.status = 'active'",
        app_id,
    )

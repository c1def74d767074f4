"""Registered general users (一般利用者) and their application ids (appId) for the public API.

A general user belongs to no tenant; their rows are scoped by the user id (the
scope's actor), so one user never sees another's appIds.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.events.audit import audit
from govstat.tenants import schemas
from govstat.tenants.passwords import hash_password
from govstat.tenants.rows import AppIdRow, Registered, UserRow
from govstat.tenants.tables import AppId, AppUser

MAX_APP_IDS = 5


async def register(uow: UnitOfWork, data: schemas.RegisterIn) -> Registered:
    user_id = uuid.uuid4()
    await uow.act_as(str(user_id))  # the new user's own row is what this transaction may see
    await uow.repo(AppUser, UserRow).add(
        id=user_id,
        tenant_id=None,
        login=data.login,
        display_name=data.display_name,
        email=data.email,
        password_hash=await hash_password(data.password),
        roles=["public"],
    )
    await audit(
        uow,
        "account.registered",
        tenant_id=None,
        target_type="user",
        target_id=user_id,
        module="auth",
        login=data.login,
    )
    return Registered(id=user_id, login=data.login, display_name=data.display_name, roles=["public"])


def _owner(uow: UnitOfWork) -> uuid.UUID:
    return uuid.UUID(uow.scope.actor)


async def list_app_ids(uow: UnitOfWork) -> list[AppIdRow]:
    return await uow.repo(AppId, AppIdRow).find(AppId.user_id == _owner(uow), order_by=AppId.created_at)


async def create_app_id(uow: UnitOfWork, data: schemas.AppIdIn) -> AppIdRow:
    from govstat.platform.errors import Conflict

    owner = _owner(uow)
    repo = uow.repo(AppId, AppIdRow)
    active = await repo.count(AppId.user_id == owner, AppId.revoked_at.is_null())
    if active >= MAX_APP_IDS:
        raise Conflict(f"アプリケーションIDは{MAX_APP_IDS}個までです / at most {MAX_APP_IDS} active appIds")
    row = await repo.add(id=uuid.uuid4(), user_id=owner, app_id=secrets.token_hex(20), name=data.name, url=data.url)
    await audit(uow, "app_id.created", tenant_id=None, target_type="app_id", target_id=row.id, module="auth")
    return row


async def revoke_app_id(uow: UnitOfWork, app_id_row: uuid.UUID) -> AppIdRow:
    from govstat.platform.cache import forget_app_id

    repo = uow.repo(AppId, AppIdRow)
    row = await repo.first(AppId.id == app_id_row, AppId.user_id == _owner(uow))
    if row is None:
        raise NotFound("アプリケーションIDが見つかりません / appId not found")
    if row.revoked_at is None:
        row = await repo.update(app_id_row, revoked_at=dt.datetime.now(dt.UTC))
        value = row.app_id
        uow.after_commit(lambda: forget_app_id(value))
        await audit(uow, "app_id.revoked", tenant_id=None, target_type="app_id", target_id=app_id_row, module="auth")
    return row

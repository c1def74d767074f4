"""Users with roles, passwords (argon2id) and API keys (AUTH-1, AUTH-2)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.cache import end_user_sessions, forget_api_key
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Forbidden, InvalidInput
from govstat.platform.events.audit import audit
from govstat.platform.security import Role
from govstat.tenants import schemas
from govstat.tenants.apikeys import new_api_key
from govstat.tenants.passwords import hash_password
from govstat.tenants.rows import ApiKeyRow, TenantRow, UserRow
from govstat.tenants.tables import ApiKey, AppUser, Tenant

# Roles an agency administrator may hand out inside its own tenant; the rest are the operator's.
AGENCY_GRANTABLE = {Role.AGENCY_ADMIN.value, Role.AGENCY_STAFF.value, Role.INTERMEDIARY.value}
ROLES_BY_TENANT_KIND = {
    "operator": {"operator", "mic"},
    "constituent": {"mic", "agency_admin", "agency_staff", "intermediary"},
    "approved_body": {"agency_admin", "agency_staff", "intermediary"},
}


def _may_grant(uow: UnitOfWork, roles: list[str]) -> None:
    if uow.scope.role != "operator" and not set(roles) <= AGENCY_GRANTABLE:
        raise Forbidden("運用管理機関のみ付与できます / only the operator grants these roles")


def _may_manage(uow: UnitOfWork, user: UserRow | ApiKeyRow) -> None:
    """A non-operator changes only users whose every current role it could grant: an agency
    administrator of MIC's tenant must not take over the tenant's `mic` oversight account."""
    if uow.scope.role != "operator" and not set(user.roles) <= AGENCY_GRANTABLE:
        raise Forbidden("この利用者は運用管理機関のみ変更できます / only the operator manages this user")


def _check_roles(uow: UnitOfWork, tenant_kind: str, roles: list[str]) -> None:
    # Who may grant comes first: an agency administrator asking for `operator` is refused (403),
    # not told that the role does not fit the tenant (422).
    _may_grant(uow, roles)
    allowed = ROLES_BY_TENANT_KIND[tenant_kind]
    bad = [r for r in roles if r not in allowed]
    if bad:
        raise InvalidInput.field(
            "roles", f"この機関では付与できない役割 / not allowed for a {tenant_kind} tenant: {bad}"
        )


async def create_user(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.UserIn) -> UserRow:
    tenant = await uow.repo(Tenant, TenantRow).get(tenant_id)
    _check_roles(uow, tenant.kind, list(data.roles))
    row = await uow.repo(AppUser, UserRow).add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        login=data.login,
        display_name=data.display_name,
        email=data.email or "",
        password_hash=await hash_password(data.password),
        roles=sorted(set(data.roles)),
    )
    await audit(
        uow,
        "user.created",
        tenant_id=tenant_id,
        target_type="user",
        target_id=row.id,
        module="auth",
        login=data.login,
        roles=row.roles,
    )
    return row


async def update_user(uow: UnitOfWork, user_id: uuid.UUID, data: schemas.UserPatch) -> UserRow:
    import msgspec

    repo = uow.repo(AppUser, UserRow)
    user = await repo.get(user_id)
    _may_manage(uow, user)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "roles" in changes:
        tenant = await uow.repo(Tenant, TenantRow).get(user.tenant_id)
        _check_roles(uow, tenant.kind, list(changes["roles"]))
        changes["roles"] = sorted(set(changes["roles"]))
    if "password" in changes:
        changes["password_hash"] = await hash_password(changes.pop("password"))
    if not changes:
        return user
    row = await repo.update(user_id, **changes)
    if changes.get("status") == "disabled" or "password_hash" in changes or "roles" in changes:
        uow.after_commit(lambda: end_user_sessions(user_id))  # signed-in sessions carry the old rights
    await audit(
        uow,
        "user.updated",
        tenant_id=user.tenant_id,
        target_type="user",
        target_id=user_id,
        module="auth",
        fields=sorted(k for k in changes if k != "password_hash")
        + (["password"] if "password_hash" in changes else []),
    )
    return row


async def list_users(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[UserRow]:
    await uow.repo(Tenant, TenantRow).get(tenant_id)
    return await uow.repo(AppUser, UserRow).find(AppUser.tenant_id == tenant_id, order_by=AppUser.login)


async def create_api_key(
    uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.ApiKeyIn, created_by: str
) -> schemas.ApiKeyCreated:
    await uow.repo(Tenant, TenantRow).get(tenant_id)
    _may_grant(uow, list(data.roles))
    token, prefix, key_hash = new_api_key()
    creator = _uuid_or_none(created_by)
    row = await uow.repo(ApiKey, ApiKeyRow).add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        name=data.name,
        prefix=prefix,
        key_hash=key_hash,
        roles=sorted(set(data.roles)),
        created_by=creator,
    )
    await audit(
        uow,
        "api_key.created",
        tenant_id=tenant_id,
        target_type="api_key",
        target_id=row.id,
        module="auth",
        prefix=prefix,
        roles=row.roles,
    )
    return schemas.ApiKeyCreated(id=row.id, name=row.name, prefix=prefix, token=token, roles=row.roles)


async def revoke_api_key(uow: UnitOfWork, key_id: uuid.UUID) -> ApiKeyRow:
    repo = uow.repo(ApiKey, ApiKeyRow)
    key = await repo.get(key_id)
    _may_manage(uow, key)
    if key.revoked_at is None:
        key = await repo.update(key_id, revoked_at=dt.datetime.now(dt.UTC))
        prefix = key.prefix
        uow.after_commit(lambda: forget_api_key(prefix))  # the gateway's cache must not outlive the key
        await audit(
            uow,
            "api_key.revoked",
            tenant_id=key.tenant_id,
            target_type="api_key",
            target_id=key_id,
            module="auth",
            prefix=key.prefix,
        )
    return key


async def list_api_keys(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[ApiKeyRow]:
    await uow.repo(Tenant, TenantRow).get(tenant_id)
    return await uow.repo(ApiKey, ApiKeyRow).find(ApiKey.tenant_id == tenant_id, order_by=ApiKey.created_at)


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        return None

"""Operator endpoints for tenants, admission, contacts, subscriptions, users, API keys
and masters (the 認証システム, module key `auth`). Agency administrators reach their
own tenant through the same routes; another tenant's id answers 404."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Router, delete, get, patch, post, put
from litestar.exceptions import NotFoundException

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access as module_access
from govstat.platform.security import Role
from govstat.platform.web.deps import principal_of
from govstat.tenants import admission, contacts, masters, schemas, subscriptions, users
from govstat.tenants.rows import (
    ApiKeyRow,
    ApplicationRow,
    BulkContractRow,
    ContactRow,
    ContractRow,
    DecisionRow,
    MasterRow,
    SubscriptionRow,
    TenantDetail,
    TenantRow,
    UserRow,
)
from govstat.tenants.tables import CouncilDecision, Tenant, TenantApplication, TenantContract

OP, MIC, ADMIN = Role.OPERATOR, Role.MIC, Role.AGENCY_ADMIN
STAFF = (Role.OPERATOR, Role.MIC, Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.INTERMEDIARY)


def access(*roles: Role, op: str) -> dict[str, Any]:
    """The authentication system is part of the platform (a core module, AUTH-1): every tenant
    uses it without subscribing, and `auth` is not a subscribable module key. Without
    subscription=False the gateway refused every agency administrator with 403."""
    return module_access(*roles, op=op, subscription=False)


class ConstituentCreate(schemas.Base, kw_only=True):
    tenant: schemas.ConstituentIn
    contacts: schemas.ContactsIn


class TenantController(Controller):
    path = "/api/auth"
    tags = ["auth / 認証システム"]

    @post("/bulk-contracts", opt=access(OP, op="auth.manage"))
    async def create_bulk_contract(self, data: schemas.BulkContractIn, uow: UnitOfWork) -> BulkContractRow:
        return await admission.create_bulk_contract(uow, data)

    @get("/tenants", opt=access(OP, MIC, op="auth.read"))
    async def list_tenants(self, uow: UnitOfWork) -> list[TenantRow]:
        return await uow.repo(Tenant, TenantRow).find(order_by=Tenant.code)

    @post("/tenants/constituents", opt=access(OP, op="auth.manage"))
    async def create_constituent(self, data: ConstituentCreate, uow: UnitOfWork) -> TenantRow:
        return await admission.create_constituent(uow, data.tenant, data.contacts)

    @post("/tenants/applications", opt=access(OP, op="auth.manage"))
    async def apply(self, data: schemas.ApplicationIn, uow: UnitOfWork) -> TenantRow:
        return await admission.apply_admission(uow, data)

    @get("/tenants/{tenant_id:uuid}", opt=access(OP, MIC, ADMIN, op="auth.read"))
    async def get_tenant(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> TenantDetail:
        tenant = await uow.repo(Tenant, TenantRow).get(tenant_id)
        return TenantDetail(
            **msgspec.structs.asdict(tenant),
            applications=await uow.repo(TenantApplication, ApplicationRow).find(
                TenantApplication.tenant_id == tenant_id, order_by=TenantApplication.created_at
            ),
            contracts=await uow.repo(TenantContract, ContractRow).find(
                TenantContract.tenant_id == tenant_id, order_by=TenantContract.signed_on
            ),
            # by date, then by entry: the admission and the withdrawal decision may share a date
            decisions=sorted(
                await uow.repo(CouncilDecision, DecisionRow).find(CouncilDecision.tenant_id == tenant_id),
                key=lambda d: (d.decided_on, d.created_at),
            ),
            contacts=await contacts.current_contacts(uow, tenant_id),
            subscriptions=await subscriptions.active_subscriptions(uow, tenant_id),
        )

    @post("/tenants/{tenant_id:uuid}/admission-decision", opt=access(OP, op="auth.manage"))
    async def decide_admission(self, tenant_id: uuid.UUID, data: schemas.DecisionIn, uow: UnitOfWork) -> TenantRow:
        return await admission.decide_admission(uow, tenant_id, data)

    @post("/tenants/{tenant_id:uuid}/contract", opt=access(OP, op="auth.manage"))
    async def sign_contract(self, tenant_id: uuid.UUID, data: schemas.ContractIn, uow: UnitOfWork) -> TenantRow:
        return await admission.sign_contract(uow, tenant_id, data)

    @post("/tenants/{tenant_id:uuid}/activate", opt=access(OP, op="auth.manage"))
    async def activate(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> TenantRow:
        return await admission.activate(uow, tenant_id)

    @post("/tenants/{tenant_id:uuid}/withdrawal", opt=access(OP, op="auth.manage"))
    async def apply_withdrawal(self, tenant_id: uuid.UUID, data: schemas.WithdrawalIn, uow: UnitOfWork) -> TenantRow:
        return await admission.apply_withdrawal(uow, tenant_id, data)

    @post("/tenants/{tenant_id:uuid}/withdrawal-decision", opt=access(OP, op="auth.manage"))
    async def decide_withdrawal(self, tenant_id: uuid.UUID, data: schemas.DecisionIn, uow: UnitOfWork) -> TenantRow:
        return await admission.decide_withdrawal(uow, tenant_id, data)

    @post("/tenants/{tenant_id:uuid}/contract-end", opt=access(OP, op="auth.manage"))
    async def end_contract(self, tenant_id: uuid.UUID, data: schemas.ContractEndIn, uow: UnitOfWork) -> TenantRow:
        return await admission.end_contract(uow, tenant_id, data)

    @get("/tenants/{tenant_id:uuid}/contacts", opt=access(OP, ADMIN, op="auth.read"))
    async def get_contacts(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> list[ContactRow]:
        await uow.repo(Tenant, TenantRow).get(tenant_id)
        return await contacts.current_contacts(uow, tenant_id)

    @get("/tenants/{tenant_id:uuid}/contacts/history", opt=access(OP, ADMIN, op="auth.read"))
    async def contact_history(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> list[ContactRow]:
        await uow.repo(Tenant, TenantRow).get(tenant_id)
        return await contacts.contact_history(uow, tenant_id)

    @put("/tenants/{tenant_id:uuid}/contacts", opt=access(OP, op="auth.manage"))
    async def replace_contacts(
        self, tenant_id: uuid.UUID, data: schemas.ContactsIn, uow: UnitOfWork
    ) -> list[ContactRow]:
        return await contacts.replace_contacts(uow, tenant_id, data)

    @post("/tenants/{tenant_id:uuid}/contacts", opt=access(OP, op="auth.manage"))
    async def change_contact(self, tenant_id: uuid.UUID, data: schemas.ContactIn, uow: UnitOfWork) -> ContactRow:
        return await contacts.change_contact(uow, tenant_id, data)

    @get("/tenants/{tenant_id:uuid}/subscriptions", opt=access(OP, MIC, ADMIN, op="auth.read"))
    async def list_subscriptions(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> list[SubscriptionRow]:
        await uow.repo(Tenant, TenantRow).get(tenant_id)
        return await subscriptions.active_subscriptions(uow, tenant_id)

    @post("/tenants/{tenant_id:uuid}/subscriptions", opt=access(OP, op="auth.manage"))
    async def subscribe(
        self, tenant_id: uuid.UUID, data: schemas.SubscriptionIn, uow: UnitOfWork, catalog: Catalog
    ) -> SubscriptionRow:
        return await subscriptions.subscribe(uow, tenant_id, data, set(catalog.subsystem_keys))

    @delete(
        "/tenants/{tenant_id:uuid}/subscriptions/{module_key:str}", opt=access(OP, op="auth.manage"), status_code=200
    )
    async def unsubscribe(self, tenant_id: uuid.UUID, module_key: str, uow: UnitOfWork) -> SubscriptionRow:
        return await subscriptions.unsubscribe(uow, tenant_id, module_key)

    @get("/tenants/{tenant_id:uuid}/users", opt=access(OP, ADMIN, op="auth.read"))
    async def list_users(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> list[UserRow]:
        return await users.list_users(uow, tenant_id)

    @post("/tenants/{tenant_id:uuid}/users", opt=access(OP, ADMIN, op="auth.manage"))
    async def create_user(self, tenant_id: uuid.UUID, data: schemas.UserIn, uow: UnitOfWork) -> UserRow:
        return await users.create_user(uow, tenant_id, data)

    @patch("/users/{user_id:uuid}", opt=access(OP, ADMIN, op="auth.manage"))
    async def update_user(self, user_id: uuid.UUID, data: schemas.UserPatch, uow: UnitOfWork) -> UserRow:
        return await users.update_user(uow, user_id, data)

    @get("/tenants/{tenant_id:uuid}/api-keys", opt=access(OP, ADMIN, op="auth.read"))
    async def list_api_keys(self, tenant_id: uuid.UUID, uow: UnitOfWork) -> list[ApiKeyRow]:
        return await users.list_api_keys(uow, tenant_id)

    @post("/tenants/{tenant_id:uuid}/api-keys", opt=access(OP, ADMIN, op="auth.manage"))
    async def create_api_key(
        self, tenant_id: uuid.UUID, data: schemas.ApiKeyIn, uow: UnitOfWork, request: Request
    ) -> schemas.ApiKeyCreated:
        # The principal is read from the request rather than injected next to `uow`: Litestar resolves two
        # dependencies of one batch concurrently in child tasks, where the unit of work once lost its
        # transaction (queries ran outside it: 404, then a 500 on rollback).
        principal = principal_of(request)
        # created_by references app_user: a key made by another API key has no person to name
        creator = principal.subject if principal.via == "session" else ""
        return await users.create_api_key(uow, tenant_id, data, creator)

    @delete("/api-keys/{key_id:uuid}", opt=access(OP, ADMIN, op="auth.manage"), status_code=200)
    async def revoke_api_key(self, key_id: uuid.UUID, uow: UnitOfWork) -> ApiKeyRow:
        return await users.revoke_api_key(uow, key_id)

    @get("/masters/{kind:str}", opt=access(*STAFF, op="auth.read"))
    async def list_master(self, kind: str, uow: UnitOfWork) -> list[MasterRow]:
        _master(kind)
        return await masters.list_master(uow, kind)

    @put("/masters/{kind:str}", opt=access(OP, op="auth.manage"))
    async def upsert_master(self, kind: str, data: dict[str, Any], uow: UnitOfWork) -> MasterRow:
        _, struct, _ = _master(kind)
        try:
            item = msgspec.convert(data, struct)
        except msgspec.ValidationError as exc:
            raise _field_error(exc) from None
        return await masters.upsert_master(uow, kind, item)

    @delete("/masters/{kind:str}/{key:str}", opt=access(OP, op="auth.manage"), status_code=204)
    async def delete_master(self, kind: str, key: str, uow: UnitOfWork) -> None:
        _master(kind)
        await masters.delete_master(uow, kind, key)


def _master(kind: str):
    if kind not in masters.MASTERS:
        raise NotFoundException(f"unknown master {kind!r}; one of {sorted(masters.MASTERS)}")
    return masters.MASTERS[kind]


def _field_error(exc: msgspec.ValidationError) -> InvalidInput:
    message = str(exc)
    if "`$." in message:  # "Expected `str` matching regex ... - at `$.code`"
        field = message.split("`$.", 1)[1].split("`", 1)[0]
    elif " field `" in message:  # "Object missing required field `name_ja`", "Object contains unknown field `x`"
        field = message.split(" field `", 1)[1].split("`", 1)[0]
    else:
        field = "body"
    return InvalidInput.field(field, message.split(" - at ")[0])


router = Router(path="/", route_handlers=[TenantController])

"""Factories: tenants, users, API keys and sessions made through the real use cases."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.tenants import admission, contacts, schemas, subscriptions, users

OPERATOR = Scope(role="operator", actor="test-factory")
PASSWORD = "correct-horse-battery-staple"
PUBLIC_PASSWORD = "long-enough-pass"  # general users'


def unique(prefix: str = "t") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def contact_pair(code: str) -> schemas.ContactsIn:
    return schemas.ContactsIn(
        primary=schemas.ContactIn(role="primary", name="主 担当", email=f"p@{code}.example.jp"),
        deputy=schemas.ContactIn(role="deputy", name="副 担当", email=f"d@{code}.example.jp"),
    )


@dataclass
class TenantFixture:
    id: uuid.UUID
    code: str
    admin_login: str
    staff_login: str


async def bulk_contract_id() -> uuid.UUID:
    async with UnitOfWork(OPERATOR) as uow:
        return await uow.fetchval("SELECT id FROM bulk_contract ORDER BY fiscal_year DESC LIMIT 1")


async def make_tenant(modules: tuple[str, ...] = ("area",), plan: str = "standard") -> TenantFixture:
    """An active constituent ministry with contacts, subscriptions, an admin and a staff user."""
    code = unique("t")
    bulk = await bulk_contract_id()
    async with UnitOfWork(OPERATOR) as uow:
        row = await admission.create_constituent(
            uow, schemas.ConstituentIn(code=code, name_ja=f"テスト省{code}", bulk_contract_id=bulk), contact_pair(code)
        )
        tid = row.id
        if plan != "standard":
            await uow.execute("UPDATE tenant SET plan = $2 WHERE id = $1", tid, plan)
        for m in modules:
            await subscriptions.subscribe(uow, tid, schemas.SubscriptionIn(module_key=m), {m})
        return await add_admin_and_staff(uow, tid, code)


async def add_admin_and_staff(uow: UnitOfWork, tid: uuid.UUID, code: str) -> TenantFixture:
    """The tenant's two users, `code`-admin (agency_admin and agency_staff) and `code`-staff, with PASSWORD."""
    await users.create_user(
        uow,
        tid,
        schemas.UserIn(
            login=f"{code}-admin", display_name="管理者", password=PASSWORD, roles=["agency_admin", "agency_staff"]
        ),
    )
    await users.create_user(
        uow,
        tid,
        schemas.UserIn(login=f"{code}-staff", display_name="職員", password=PASSWORD, roles=["agency_staff"]),
    )
    return TenantFixture(tid, code, f"{code}-admin", f"{code}-staff")


async def make_applicant() -> uuid.UUID:
    code = unique("a")
    async with UnitOfWork(OPERATOR) as uow:
        row = await admission.apply_admission(
            uow,
            schemas.ApplicationIn(
                code=code, name_ja=f"承認申請{code}", submitted_on=dt.date(2026, 4, 1), document_ref=f"doc-{code}"
            ),
        )
    return row.id


async def api_key(tenant_id: uuid.UUID, roles=("agency_staff",)) -> str:
    async with UnitOfWork(OPERATOR) as uow:
        created = await users.create_api_key(uow, tenant_id, schemas.ApiKeyIn(name="test", roles=list(roles)), "test")
    return created.token


async def sign_in(client, login: str, password: str = PASSWORD) -> str:
    """Signs the client in (session cookie); returns the CSRF token."""
    r = await client.post("/auth/login", json={"login": login, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["csrf"]


async def operator_client_csrf(client) -> str:
    from govstat.platform.root.seed import demo_password

    return await sign_in(client, "operator", demo_password("operator"))


class PublicUser(NamedTuple):
    login: str
    csrf: str
    id: str  # the account's id, as registration answers it


async def register_public(client, label: str = "user", password: str = PUBLIC_PASSWORD) -> PublicUser:
    """A general user (一般利用者) registered through /api/account/register and signed in on `client`."""
    login = f"{label}{secrets.token_hex(4)}"
    r = await client.post(
        "/api/account/register",
        json={"login": login, "display_name": "一般 利用者", "email": f"{login}@example.com", "password": password},
    )
    assert r.status_code == 201, r.text
    return PublicUser(login, await sign_in(client, login, password), r.json()["id"])


def csrf_headers(token: str) -> dict[str, str]:
    return {"X-CSRF-Token": token}


def another_client(app):
    """A second in-process client (its own cookie jar), e.g. a user signed in elsewhere. Use `async with`."""
    import random

    import httpx

    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 40001)), base_url="http://testserver.local"
    )


async def outbox_mark() -> int:
    """The outbox's last sequence number: pass it to audit_events() to see only what came after."""
    async with UnitOfWork(Scope.system()) as uow:
        return await uow.fetchval("SELECT coalesce(max(seq), 0) FROM outbox")


async def audit_events(since: int = 0, tenant_id: uuid.UUID | None = None, prefix: str = "") -> list:
    """Audit payloads written to the outbox after `since` (for one tenant, actions starting with `prefix`)."""
    from govstat.platform.events.envelope import decode

    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT kind, payload FROM outbox WHERE seq > $1 ORDER BY seq", since)
    events = [decode(bytes(r["payload"])) for r in rows if r["kind"] == "audit"]
    return [
        e.payload
        for e in events
        if (tenant_id is None or e.tenant_id == tenant_id) and e.payload.action.startswith(prefix)
    ]


__all__ = ["contacts"]

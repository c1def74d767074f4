"""The role matrix (hardening issue 8): every registered route, called by every kind of caller.

Routes are enumerated from the app (as tests/platform/test_module_contract.py walks them), so a
new route is covered the day it is added. Each answer is held to the route's declared access
(platform/module.py Access):
- a caller without a declared role is refused: 401 when anonymous, 403 when signed in, never 2xx;
- a caller with a declared role (or any caller of a public route) is never refused 401/403 by the
  gateway (the handler may answer 404/422 for the made-up ids and bodies sent here);
- nothing answers 5xx or 429.
The appId caller names itself by `?appId=` on every route: only the e-Stat API (Access.app_id)
knows it, everywhere else it is anonymous.

Writes by callers who hold the role carry a body no handler accepts (an unknown field), so data
handlers stop at validation; the few that take no body and would act (below) are called only by the
callers who must be refused. Run: GOVSTAT_TEST_DB=... pytest -q tests/adversarial/test_role_matrix.py
"""

from __future__ import annotations

import asyncio
import collections
import os
import re
import uuid
from dataclasses import dataclass, field

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import Access
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Role, Scope
from govstat.tenants import schemas, users
from govstat.tenants.accounts import service as accounts
from tests.support import factories as f
from tests.support.billing_factories import unlimited_plan
from tests.support.routes import handlers

SAFE = {"GET", "HEAD", "OPTIONS"}
NO_SUCH = uuid.UUID("00000000-0000-4000-8000-00000000dead")
BODY = {"__role_matrix__": True}  # refused by every body schema (they forbid unknown fields)
# Handlers that take no body and act at once: an authorised call would really enqueue a reload of
# the reference data or end the caller's session. Only refused callers are sent to them.
ACTS_WITHOUT_BODY = {("POST", "/api/area/reload"), ("POST", "/api/classification/reload"), ("POST", "/auth/logout")}
ROOMY_PLAN = "matrix"


def _histogram(rows) -> None:
    """ROLE_MATRIX_DEBUG=1 (with -s): the statuses of the let-through calls and the writes that succeeded."""
    if not os.environ.get("ROLE_MATRIX_DEBUG"):
        return
    print("let through, by status:", sorted(collections.Counter(r[3] for r in rows if r[4] is None).items()))
    for r in rows:
        if r[4] is None and r[0] not in SAFE and r[3] < 300:
            print("write answered", r)


@dataclass
class Caller:
    name: str
    roles: frozenset[Role]
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    @property
    def signed_in(self) -> bool:
        return bool(self.roles)


def routes(app) -> list[tuple[str, str, Access]]:
    return [(method, h.path, h.access) for h in handlers(app) for method in sorted(h.methods - {"HEAD"})]


def concrete(path: str) -> str:
    def fill(m: re.Match) -> str:
        kind = m.group(2)
        return {"uuid": str(NO_SUCH), "int": "999999999"}.get(kind, "zz-no-such")

    return re.sub(r"\{(\w+):(\w+)\}", fill, path)


def expected_refusal(access: Access, caller: Caller) -> int | None:
    """401/403 when the gateway must refuse the caller, None when it must let it through."""
    if access.public or caller.roles & access.roles:
        return None
    return 403 if caller.signed_in else 401


async def _user(tenant_id: uuid.UUID | None, roles: list[str]) -> str:
    login = f.unique("rm")
    async with UnitOfWork(f.OPERATOR) as uow:
        if tenant_id is None:
            row = await accounts.register(
                uow,
                schemas.RegisterIn(login=login, display_name="一般", password=f.PASSWORD, email=f"{login}@example.jp"),
            )
            if roles != ["public"]:
                await uow.execute("UPDATE app_user SET roles = $2 WHERE id = $1", row.id, roles)
        else:
            await users.create_user(
                uow, tenant_id, schemas.UserIn(login=login, display_name="行列", password=f.PASSWORD, roles=roles)
            )
    return login


async def _callers(app) -> list[Caller]:
    await unlimited_plan(ROOMY_PLAN, "ロール行列試験")  # its callers send hundreds of calls a minute
    t = await f.make_tenant(modules=tuple(m.key for m in CATALOG.subsystems), plan=ROOMY_PLAN)
    out = [Caller("anonymous", frozenset())]
    logins = {"operator": ("operator", demo_password("operator"))}
    for role in ("mic", "agency_admin", "agency_staff", "intermediary"):
        logins[role] = (await _user(t.id, [role]), f.PASSWORD)
    for role in ("public", "onsite"):
        logins[role] = (await _user(None, [role]), f.PASSWORD)
    for role, (login, password) in logins.items():
        async with f.another_client(app) as c:
            r = await c.post("/auth/login", json={"login": login, "password": password})
            assert r.status_code == 200, (role, r.text)
            out.append(Caller(role, frozenset({Role(role)}), cookies=dict(c.cookies), csrf=r.json()["csrf"]))
    token = await f.api_key(t.id, roles=("agency_admin",))
    out.append(Caller("api_key(agency_admin)", frozenset({Role.AGENCY_ADMIN}), headers={"X-API-Key": token}))
    async with UnitOfWork(Scope(role="public", actor=str(await _user_id(logins["public"][0])))) as uow:
        app_id = (await accounts.create_app_id(uow, schemas.AppIdIn(name="行列"))).app_id
    out.append(Caller("appId", frozenset(), query={"appId": app_id}))
    return out


async def _user_id(login: str) -> uuid.UUID:
    async with UnitOfWork(f.OPERATOR) as uow:
        return await uow.fetchval("SELECT id FROM app_user WHERE login = $1", login)


async def _walk(app, caller: Caller, table: list[tuple[str, str, Access]]) -> list[tuple]:
    """(method, path, caller, status, refusal expected) for every route this caller may be sent to."""
    rows = []
    async with f.another_client(app) as c:
        c.cookies.update(caller.cookies)
        for method, path, access in table:
            refusal = expected_refusal(access, caller)
            if refusal is None and (method, path) in ACTS_WITHOUT_BODY:
                continue
            headers = dict(caller.headers)
            if caller.csrf and method not in SAFE:
                headers["X-CSRF-Token"] = caller.csrf
            r = await c.request(
                method, concrete(path), params=caller.query, headers=headers, json=None if method in SAFE else BODY
            )
            rows.append((method, path, caller.name, r.status_code, refusal))
    return rows


def _verdicts(rows: list[tuple]) -> dict[str, list]:
    wrong = {
        "leak (2xx/3xx where refusal expected)": [],
        "wrong refusal status": [],
        "refused though allowed": [],
        "5xx": [],
        "429": [],
    }
    for method, path, caller, status, refusal in rows:
        where = f"{caller} {method} {path} -> {status}"
        if status >= 500 and status != 501:  # 501: SDMX-REST's declared "not implemented"
            wrong["5xx"].append(where)
        elif status == 429:
            wrong["429"].append(where)
        elif refusal is not None and status < 400:
            wrong["leak (2xx/3xx where refusal expected)"].append(where)
        elif refusal is not None and status != refusal:
            wrong["wrong refusal status"].append(where)
        elif refusal is None and status in (401, 403):
            wrong["refused though allowed"].append(where)
    return {k: v for k, v in wrong.items() if v}


async def test_every_route_answers_every_caller_as_it_declares(app):
    table = routes(app)
    assert len(table) > 300 and all(access is not None for _, _, access in table)
    callers = await _callers(app)
    results = await asyncio.gather(*(_walk(app, caller, table) for caller in callers))
    rows = [row for rows in results for row in rows]
    refused = sum(1 for row in rows if row[4] is not None)
    print(
        f"role matrix: {len(table)} routes x {len(callers)} callers = {len(rows)} calls"
        f" ({refused} to be refused, {len(rows) - refused} to be let through)"
    )
    _histogram(rows)
    wrong = _verdicts(rows)
    assert not wrong, "\n".join(f"{kind} ({len(items)}):\n  " + "\n  ".join(items) for kind, items in wrong.items())
    assert len(rows) >= len(table) * len(callers) - len(ACTS_WITHOUT_BODY) * len(callers)

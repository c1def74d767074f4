"""Two tenants for the adversarial suite: tenant A owns one object of every kind a path parameter
can name (each carrying a unique marker in its text and kept unpublished or private where the
module has that notion), tenant B is who attacks it, with its admin, its staff and a registered
public user, each signed in on a client of its own.

The per-part factories that fill `World.owned` live beside this file (world_tenants.py,
world_data.py, world_ops.py, world_public.py, world_items.py); a new kind of object is one more factory there
and one more line in tests/support/walker_registry.py.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import (
    OPERATOR,
    TenantFixture,
    another_client,
    api_key,
    make_tenant,
    register_public,
    sign_in,
)

# Modules of the registry a tenant can subscribe to; both tenants subscribe to all of them, so the
# gateway's subscription check never hides a missing tenant check in the route.
MODULES = (
    "area",
    "classification",
    "tables",
    "statdb",
    "estat",
    "metadata",
    "portal",
    "enumerators",
    "frame",
    "items",
    "online",
    "onsite",
    "gis",
)
WALKER_PLAN = "walker-unlimited"
PUBLIC_PASSWORD = "walker-public-pass-2026"


@dataclass
class Caller:
    """One client: signed in (the CSRF token its session needs for changes) or sending an API key."""

    name: str
    client: httpx.AsyncClient
    csrf: str = ""
    api_key: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"x-api-key": self.api_key} if self.api_key else {"x-csrf-token": self.csrf}


@dataclass
class World:
    marker: str  # in every text field of A's objects
    a: TenantFixture
    b: TenantFixture
    a_public_user: uuid.UUID | None = None
    owned: dict[str, str] = field(default_factory=dict)  # kind -> id of A's object
    secrets: list[str] = field(default_factory=list)  # tokens A holds (API key, appId)
    extra: dict[str, Any] = field(default_factory=dict)

    def own(self, kind: str, value: Any) -> str:
        self.owned[kind] = str(value)
        return str(value)


async def _unlimited_plan() -> None:
    """B makes some 500 calls in a few seconds: a plan of its own keeps the rate limit out of the way."""
    async with UnitOfWork(Scope.system("walker")) as uow:
        await uow.execute(
            "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst)"
            " VALUES ($1, '試験（無制限）', 1000000, 60, 100000) ON CONFLICT (code) DO NOTHING",
            WALKER_PLAN,
        )


async def agency_tenant(agency_code: str) -> TenantFixture:
    t = await make_tenant(modules=MODULES, plan=WALKER_PLAN)
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute("UPDATE tenant SET agency_code = $2 WHERE id = $1", t.id, agency_code)
    return t


async def make_world(app) -> World:
    """Tenant A (総務省's agency code, so it owns 国勢調査) with all its objects, and tenant B (農林水産省's)."""
    from tests.support import (
        world_data,
        world_enumerators,
        world_frame,
        world_gis,
        world_items,
        world_online,
        world_onsite,
        world_ops,
        world_portal,
        world_public,
        world_tenants,
    )

    await _unlimited_plan()
    world = World(
        marker=f"WALKER-{secrets.token_hex(6)}", a=await agency_tenant("00200"), b=await agency_tenant("00500")
    )
    parts = (
        world_tenants,
        world_data,
        world_ops,
        world_public,
        world_portal,
        world_enumerators,
        world_frame,
        world_items,
        world_online,
        world_onsite,
        world_gis,
    )
    for part in parts:
        await part.build(world, app)
    return world


async def attackers(app, world: World) -> list[Caller]:
    """B's admin, B's staff, a public registered user and B's API key, each on a client of its own (close them)."""
    callers = []
    for name, login in (("agency_admin", world.b.admin_login), ("agency_staff", world.b.staff_login)):
        c = another_client(app)
        callers.append(Caller(name, c, await sign_in(c, login)))
    c = another_client(app)
    public = await register_public(c, "walkerb", PUBLIC_PASSWORD)
    callers.append(Caller("public", c, public.csrf))
    # an agency's system: the gateway names it by its key, not by a session
    callers.append(
        Caller(
            "api key (admin)",
            another_client(app),
            api_key=await api_key(world.b.id, roles=("agency_admin", "agency_staff")),
        )
    )
    return callers

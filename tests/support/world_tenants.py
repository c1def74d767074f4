"""Tenant A's own records of the authentication system: the tenant, its contacts, a user and an API key."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.tenants import contacts, schemas, users
from tests.support.factories import OPERATOR, PASSWORD


async def build(world, app) -> None:
    m, a = world.marker, world.a
    world.own("tenant", a.id)
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute("UPDATE tenant SET name_en = $2 WHERE id = $1", a.id, f"Ministry {m}")
        await contacts.replace_contacts(
            uow,
            a.id,
            schemas.ContactsIn(
                primary=schemas.ContactIn(
                    role="primary",
                    name=f"主担当 {m}",
                    email=f"{m.lower()}-p@{a.code}.example.jp",
                    phone="03-0000-0001",
                    division=f"統計課 {m}",
                ),
                deputy=schemas.ContactIn(role="deputy", name=f"副担当 {m}", email=f"{m.lower()}-d@{a.code}.example.jp"),
            ),
        )
        user = await users.create_user(
            uow,
            a.id,
            schemas.UserIn(
                login=f"{a.code}-walker",
                display_name=f"職員 {m}",
                email=f"{m.lower()}@{a.code}.example.jp",
                password=PASSWORD,
                roles=["agency_staff"],
            ),
        )
        key = await users.create_api_key(
            uow, a.id, schemas.ApiKeyIn(name=f"鍵 {m}", roles=["agency_admin", "agency_staff"]), "walker"
        )
    world.own("user", user.id)
    world.own("api_key", key.id)
    world.secrets.append(key.token)
    world.extra["a_api_key"] = key.token

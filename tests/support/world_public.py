"""A's registered general user (public users have no tenant: they are kept apart by owner):
an appId, a saved table selection and a subscription to 国勢調査's news."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import another_client

SUBSCRIBED_STATISTIC = "00200521"


async def build(world, app) -> None:
    from tests.support.factories import register_public
    from tests.support.world import PUBLIC_PASSWORD

    m = world.marker
    async with UnitOfWork(Scope.system("walker")) as uow:
        published = await uow.fetchval(
            "SELECT stats_data_id FROM stat_table WHERE status = 'published' ORDER BY stats_data_id LIMIT 1"
        )
    async with another_client(app) as c:
        login, csrf, _ = await register_public(c, "walkera", PUBLIC_PASSWORD)
        h = {"x-csrf-token": csrf}
        r = await c.post("/api/account/app-ids", headers=h, json={"name": f"研究用 {m}"})
        assert r.status_code == 201, r.text
        world.own("app_id", r.json()["id"])
        world.secrets.append(r.json()["app_id"])
        r = await c.post(
            "/api/estat/saved-queries",
            headers=h,
            json={"name": f"保存した条件 {m}", "stats_data_id": published, "params": {"cdCat01": "001"}},
        )
        assert r.status_code in (200, 201), r.text
        world.own("saved_query", r.json()["id"])
        r = await c.put(f"/api/estat/subscriptions/{SUBSCRIBED_STATISTIC}", headers=h)
        assert r.status_code in (200, 201, 204), r.text
    async with UnitOfWork(Scope.system("walker")) as uow:
        world.a_public_user = await uow.fetchval("SELECT id FROM app_user WHERE login = $1", login)

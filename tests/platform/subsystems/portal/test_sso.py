"""Single sign-on stays the gateway's: one session cookie reaches the portal and every subsystem the
tenant subscribes to, and no other; signing out ends it everywhere at once."""

from govstat.platform.root.catalog import CATALOG
from tests.support import factories as f

SUBSCRIBED = ("portal", "tables", "area")


async def test_one_session_reaches_the_portal_and_every_subscribed_subsystem(app):
    t = await f.make_tenant(modules=SUBSCRIBED)
    async with f.another_client(app) as c:
        csrf = await f.sign_in(c, t.admin_login)
        home = await c.get("/portal")
        assert home.status_code == 200
        for key in SUBSCRIBED:
            module = CATALOG.by_key(key)
            assert module.name_ja in home.text
            for href, _label in module.nav:
                r = await c.get(href)
                assert r.status_code == 200, (href, r.status_code)
        assert (await c.get("/api/portal/boards")).status_code == 200
        assert (await c.get("/statdb")).status_code == 403  # not subscribed: the same session stops there
        assert (await c.post("/auth/logout", headers={"x-csrf-token": csrf})).status_code in (200, 204, 303)
        for href in ("/portal/notices", "/api/portal/boards", "/tables"):
            assert (await c.get(href)).status_code in (401, 303), href

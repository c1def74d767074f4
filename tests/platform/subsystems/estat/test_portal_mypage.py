"""ESTAT-4 My page (subscriptions, saved selections, links to appIds), help pages and the inquiry
form's ticket."""

import re

from govstat.platform.db.uow import UnitOfWork
from tests.platform.subsystems.estat import portal_support as ps


async def test_my_page_subscriptions_and_saved_selections_are_the_users_own(app, census):
    sid = census["stats_data_id"]
    async with ps.client_from(app) as c, ps.client_from(app) as other:
        me = await ps.registered_user(c)
        them = await ps.registered_user(other)
        async with ps.client_from(app) as anonymous:
            assert (await anonymous.get("/estat/mypage")).status_code == 401

        # subscribe from the statistic's overview page, stop from My page
        overview = await c.get("/estat/statistics/00200521")
        assert 'id="subscribe"' in overview.text
        r = await c.post(
            "/estat/mypage/subscriptions",
            data={"gov_stat_code": "00200521", "_csrf": me["csrf"], "next": "/estat/statistics/00200521"},
        )
        assert r.status_code == 303 and r.headers["location"] == "/estat/statistics/00200521"
        assert 'id="unsubscribe"' in (await c.get("/estat/statistics/00200521")).text
        page = await c.get("/estat/mypage")
        assert (
            re.search(r'<tr data-code="00200521">', page.text) and 'href="/mypage"' in page.text
        )  # appIds live on /mypage
        assert 'href="/estat/mypage"' in (await c.get("/mypage")).text  # and link back here
        assert 'data-code="00200521"' not in (await other.get("/estat/mypage")).text

        # save a table page's selection by name, open it again
        table = await c.get(f"/estat/tables/{sid}", params={"sel": "1", "cdCat01": "2", "lvArea": "2"})
        assert 'id="save-query"' in table.text
        r = await c.post(
            f"/estat/tables/{sid}/save",
            data={
                "_csrf": me["csrf"],
                "name": "都道府県別の女性人口",
                "sel": "1",
                "cdCat01": "2",
                "lvArea": "2",
                "evil": "x",
            },
        )
        assert r.status_code == 303
        saved = (await c.get("/api/estat/saved-queries")).json()
        assert [(q["name"], q["stats_data_id"], q["params"]) for q in saved] == [
            ("都道府県別の女性人口", sid, {"cdCat01": "2", "lvArea": "2"})
        ]
        link = re.search(
            r'<a href="(/estat/tables/[^"]+)">都道府県別の女性人口</a>', (await c.get("/estat/mypage")).text
        )
        reopened = await c.get(link.group(1).replace("&amp;", "&"))
        assert "<strong>47</strong> セル" in reopened.text  # 47 prefectures x 女

        # one user never reads or removes another's
        assert (await other.get("/api/estat/saved-queries")).json() == []
        qid = saved[0]["id"]
        assert (await other.delete(f"/api/estat/saved-queries/{qid}", headers=them["headers"])).status_code == 404
        assert (await c.delete(f"/api/estat/saved-queries/{qid}", headers=me["headers"])).status_code == 204
        assert (await c.get("/api/estat/saved-queries")).json() == []
        nope = await c.post(
            "/api/estat/saved-queries", json={"name": "x", "stats_data_id": "0000000001"}, headers=me["headers"]
        )
        assert nope.status_code == 404
        r = await c.post("/estat/mypage/subscriptions/00200521/delete", data={"_csrf": me["csrf"]})
        assert r.status_code == 303 and (await c.get("/api/estat/subscriptions")).json() == []


async def test_agency_staff_have_no_estat_my_page(app, client):
    from tests.support.factories import make_tenant, sign_in

    t = await make_tenant()
    h = {"x-csrf-token": await sign_in(client, t.staff_login)}
    assert (await client.get("/estat/mypage")).status_code == 403
    assert (await client.put("/api/estat/subscriptions/00200521", headers=h)).status_code == 403


async def test_help_pages_and_the_inquiry_form(app):
    async with ps.client_from(app) as c:
        for topic, marker in (
            ("search", "同義語"),
            ("api", "appId"),
            ("licence", "出典：政府統計の総合窓口(e-Stat)"),
            ("links", "e-Stat"),
        ):
            r = await c.get(f"/estat/help/{topic}")
            assert r.status_code == 200 and marker in r.text, topic
        assert (await c.get("/estat/help/nothing")).status_code == 404
        form = await c.get("/estat/inquiry")
        assert 'id="inquiry-form"' in form.text and "/static/estat/inquiry.js" in form.text
        js = await c.get("/static/estat/inquiry.js")
        assert js.status_code == 200 and "/api/helpdesk/inquiries" in js.text
        # what the form's script sends
        r = await c.post(
            "/api/helpdesk/inquiries",
            json={
                "name": "統計 花子",
                "email": "hanako@example.jp",
                "subject": "人口推計の公表日",
                "body": "次回はいつですか",
                "module_key": "estat",
            },
        )
        assert r.status_code == 201, r.text
    async with UnitOfWork(ps.SYSTEM) as uow:
        t = await uow.fetchrow(
            "SELECT channel, via, module_key, requester_email FROM helpdesk_ticket WHERE number = $1",
            r.json()["number"],
        )
    assert dict(t) == {
        "channel": "email",
        "via": "estat_form",
        "module_key": "estat",
        "requester_email": "hanako@example.jp",
    }

"""お知らせ (PORTAL-1): audiences, scheduling, withdrawal, unread marks per user, and e-mail for
important notices through a real local SMTP server (aiosmtpd)."""

import datetime as dt

from govstat.platform.jobs.spec import JobContext
from govstat.platform.subsystems.portal import notify
from tests.platform.subsystems.portal.bizportal_support import signed, two_tenants
from tests.support.factories import another_client as app_client


async def _titles(s, **params) -> tuple[int, list[str]]:
    r = await s.client.get("/api/portal/notices", params=params)
    assert r.status_code == 200, r.text
    return r.json()["unread"], [n["title"] for n in r.json()["items"]]


async def test_each_reader_sees_what_is_addressed_to_them_with_unread_marks(app):
    a, b = await two_tenants()
    op, a_staff, a_admin, b_staff = (
        await signed(app),
        await signed(app, a.staff_login),
        await signed(app, a.admin_login),
        await signed(app, b.staff_login),
    )
    try:
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
        made = {}
        for key, body in {
            "to_a": {"title": f"A宛て {a.code}", "audience": "tenant", "audience_tenant_id": str(a.id)},
            "all": {"title": f"全機関 {a.code}", "audience": "agencies"},
            "later": {"title": f"予約 {a.code}", "audience": "agencies", "publish_at": later},
            "inter": {"title": f"経由機関 {a.code}", "audience": "intermediaries"},
            "public": {"title": f"一般向け {a.code}", "audience": "public"},
        }.items():
            r = await op.client.post("/api/portal/notices", json=body, headers=op.h)
            assert r.status_code == 201, r.text
            made[key] = r.json()["id"]
        bad = await op.client.post("/api/portal/notices", json={"title": "x", "audience": "tenant"}, headers=op.h)
        assert bad.status_code == 422 and "audience_tenant_id" in bad.text

        _, seen = await _titles(a_staff)
        assert f"A宛て {a.code}" in seen and f"全機関 {a.code}" in seen
        assert f"予約 {a.code}" not in seen and f"経由機関 {a.code}" not in seen
        async with app_client(app) as anonymous:
            anyone = [n["title"] for n in (await anonymous.get("/api/portal/public-notices")).json()]
        assert f"一般向け {a.code}" in anyone and f"全機関 {a.code}" not in anyone
        _, seen_b = await _titles(b_staff)
        assert f"全機関 {a.code}" in seen_b and f"A宛て {a.code}" not in seen_b
        assert (await b_staff.client.get(f"/api/portal/notices/{made['to_a']}")).status_code == 404
        assert (
            await b_staff.client.post(f"/api/portal/notices/{made['to_a']}/read", headers=b_staff.h)
        ).status_code == 404
        assert (await a_staff.client.get(f"/api/portal/notices/{made['later']}")).status_code == 404

        # unread marks are each user's own
        unread_before, _ = await _titles(a_staff)
        r = await a_staff.client.post(f"/api/portal/notices/{made['to_a']}/read", headers=a_staff.h)
        assert r.status_code == 200 and r.json()["unread"] is False
        unread_after, unread_titles = await _titles(a_staff, unread="true")
        assert unread_after == unread_before - 1 and f"A宛て {a.code}" not in unread_titles
        _, admin_titles = await _titles(a_admin, unread="true")
        assert f"A宛て {a.code}" in admin_titles

        # edit and withdraw
        r = await op.client.put(
            f"/api/portal/notices/{made['all']}",
            json={"title": f"全機関（訂正）{a.code}", "audience": "agencies"},
            headers=op.h,
        )
        assert r.status_code == 200
        assert (await op.client.post(f"/api/portal/notices/{made['to_a']}/withdraw", headers=op.h)).status_code == 200
        _, seen = await _titles(a_staff)
        assert f"全機関（訂正）{a.code}" in seen and f"A宛て {a.code}" not in seen
        # agencies may not write notices
        denied = await a_admin.client.post("/api/portal/notices", json={"title": "x"}, headers=a_admin.h)
        assert denied.status_code == 403
        # the operator's form: a time typed without a zone is Japan time (scheduled: not shown yet)
        form = {
            "title": f"フォーム {a.code}",
            "audience": "agencies",
            "publish_at": "2099-01-01T09:00",
            "_csrf": op.csrf,
        }
        made_by_form = await op.client.post("/portal/notices", data=form)
        assert made_by_form.status_code == 303
        shown = (await op.client.get(made_by_form.headers["location"])).text
        assert "2099-01-01 09:00" in shown and "編集" in shown
        page = await a_staff.client.get("/portal/notices")
        assert page.status_code == 200 and f"全機関（訂正）{a.code}" in page.text and "notices-panel" in page.text
        assert f"フォーム {a.code}" not in page.text
    finally:
        for s in (op, a_staff, a_admin, b_staff):
            await s.client.aclose()


async def test_an_important_notice_is_mailed_once_to_the_tenants_contacts(app, mailbox):
    a, _ = await two_tenants()
    op = await signed(app)
    try:
        body = {"title": f"重要 {a.code}", "body": "システム更新のお知らせ", "audience": "tenant", "important": True}
        r = await op.client.post("/api/portal/notices", json={**body, "audience_tenant_id": str(a.id)}, headers=op.h)
        assert r.status_code == 201
        plain = {"title": f"通常 {a.code}", "audience": "tenant", "audience_tenant_id": str(a.id)}
        assert (await op.client.post("/api/portal/notices", json=plain, headers=op.h)).status_code == 201
    finally:
        await op.client.aclose()
    ctx = JobContext(raw={})
    await notify.mail_due(ctx, notify.MailArgs(job_id="t1"))
    await notify.mail_due(ctx, notify.MailArgs(job_id="t2"))  # nothing twice
    mine = [(to, m) for to, m in mailbox.messages if a.code in str(m["Subject"])]
    assert sorted(to[0] for to, _ in mine) == [f"d@{a.code}.example.jp", f"p@{a.code}.example.jp"]
    assert all("重要 " in str(m["Subject"]) and "システム更新" in m.get_content() for _, m in mine)

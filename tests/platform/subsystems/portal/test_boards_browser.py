"""The portal in headless Chromium: an agency's staff replies on a board thread with a file through
the form, and searches in Japanese; screenshots of the thread and of the search results."""

from tests.platform.subsystems.portal.bizportal_support import signed
from tests.support import factories as f
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.server import AppProcess, running


async def test_board_thread_and_search_in_a_browser(app, tmp_path):
    t = await f.make_tenant(modules=("portal",))
    op, staff = await signed(app), await signed(app, t.admin_login)
    try:
        board = (
            await op.client.post(
                "/api/portal/boards",
                json={"name": "人口推計担当者の掲示板", "description": "推計方法の相談", "member_tenants": [str(t.id)]},
                headers=op.h,
            )
        ).json()["id"]
        post = (
            await staff.client.post(
                f"/api/portal/boards/{board}/posts",
                json={"title": f"総人口の補間方法 {t.code}", "body": "年央人口の補間はどの方法が標準でしょうか。"},
                headers=staff.h,
            )
        ).json()["id"]
        notice = {"title": f"人口推計の公表日程 {t.code}", "body": "10月公表", "audience": "agencies"}
        assert (await op.client.post("/api/portal/notices", json=notice, headers=op.h)).status_code == 201
    finally:
        await op.client.aclose()
        await staff.client.aclose()
    memo = tmp_path / "補間メモ.csv"
    memo.write_text("年,人口\n2020,126146099\n", encoding="utf-8")
    with running(AppProcess()) as (server,):
        async with browser_page(server.url) as page:
            await sign_in(page, t.staff_login, f.PASSWORD)
            await page.goto("/portal")  # the portal home lists the notices addressed to the caller
            await page.wait_for_selector("#portal-notices-panel[data-loaded=true]")
            assert f"人口推計の公表日程 {t.code}" in await page.inner_text("#portal-notices-panel")
            await page.goto(f"/portal/posts/{post}")
            await page.fill("#reply textarea[name=body]", "線形補間が標準です。資料を添付します。")
            await page.set_input_files("#reply input[name=file]", str(memo))
            async with page.expect_navigation():
                await page.click("#reply button[type=submit]")
            replies = page.locator("article.post")
            assert await replies.count() == 2
            text = await replies.nth(1).inner_text()
            assert "線形補間が標準です" in text and "補間メモ.csv" in text
            await screenshot(page, "portal-board-thread")
            assert page.console_errors == []

            await page.fill("input[name=q]", "人口")
            async with page.expect_navigation():
                await page.press("input[name=q]", "Enter")
            hits = await page.inner_text("#hits")
            assert f"総人口の補間方法 {t.code}" in hits and f"人口推計の公表日程 {t.code}" in hits
            await screenshot(page, "portal-search")
            assert page.console_errors == []

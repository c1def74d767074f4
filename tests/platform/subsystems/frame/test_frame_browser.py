"""The application flow in headless Chromium: an agency registers a planned survey and applies on
its page; the operator finds it in the review queue, approves, extracts, draws and delivers; the
agency sees every step and its files. Screenshots in test-artifacts/frame-*.png."""

from govstat.platform.root.seed import demo_password
from tests.support import factories as f
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.server import AppProcess, running


async def test_application_flow_and_review_queue_in_a_browser():
    tenant = await f.make_tenant(modules=("frame",))
    name = f"サービス産業動向調査 {tenant.code}"
    with running(AppProcess()) as (app,):
        async with browser_page(app.url) as page:
            await sign_in(page, tenant.admin_login, f.PASSWORD)
            await page.goto("/frame")
            await page.click("text=調査実施予定の登録")
            form = "#new-survey"
            for field, value in (("name", name), ("period_from", "2024-04-01"), ("period_to", "2025-03-31"),
                                 ("areas", "13,14"), ("sample_size", "30"), ("start_point", "0.4")):  # fmt: skip
                await page.fill(f"{form} [name={field}]", value)
            async with page.expect_navigation():
                await page.click(f"{form} button[type=submit]")
            assert name in await page.inner_text("#surveys")
            await page.click("text=母集団利用申請")
            await page.fill("#apply [name=purpose]", "標本調査の名簿として")
            await page.fill("#apply [name=reference_date]", "2024-06-01")
            async with page.expect_navigation():
                await page.click("#apply button[type=submit]")
            assert await page.inner_text("#status") == "申請"
            await screenshot(page, "frame-applied")
            assert page.console_errors == []

        async with browser_page(app.url) as page:
            await sign_in(page, "operator", demo_password("operator"))
            await page.goto("/frame")
            queue = await page.inner_text("#applications")
            assert name in queue and tenant.code in queue
            await screenshot(page, "frame-review-queue")
            await page.click(f"#applications a:has-text('{name}')")
            async with page.expect_navigation():
                await page.click("#review button[value=approve]")
            for button in ("#extract", "#sample", "#deliver"):
                async with page.expect_navigation():
                    await page.click(button)
            assert await page.inner_text("#status") == "提供"
            assert (await page.inner_text("#deliveries")).count("30行") == 2
            await screenshot(page, "frame-delivered")
            await page.goto("/frame/register?area=13&min_employees=10")
            assert int((await page.inner_text("#total")).replace(",", "")) > 0
            await page.click("#units tbody tr:first-child a")
            assert await page.locator("#versions tbody tr").count() >= 1
            await screenshot(page, "frame-unit")
            assert page.console_errors == []

        async with browser_page(app.url) as page:
            await sign_in(page, tenant.admin_login, f.PASSWORD)
            await page.goto("/frame")
            await page.click(f"#applications a:has-text('{name}')")
            steps = await page.inner_text("#steps")
            assert all(s in steps for s in ("申請", "承認", "抽出（母集団）", "標本抽出", "提供"))
            assert "#review" not in await page.content()
            assert page.console_errors == []

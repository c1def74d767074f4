"""The annual report page in headless Chromium: the charts draw (Chart.js served by the app), no console
errors, the issue form issues a version and lands on it; screenshots of the report and the plan."""

import datetime as dt

from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.root.seed import demo_password
from tests.support import factories as f
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.server import AppProcess, running

JST = dt.timezone(dt.timedelta(hours=9))
FY = 2022


async def test_annual_report_page_in_a_browser():
    tenant = await f.make_tenant(modules=("area", "classification"))
    consumer = UsageRollupConsumer()
    for i, (module, month) in enumerate([("area", 4), ("area", 4), ("area", 9), ("classification", 9), ("area", 2)]):
        year = FY if month >= 4 else FY + 1
        await consumer.apply(
            new_event(
                UsagePayload(module=module, operation=f"{module}.search", principal_kind="agency", units=1),
                tenant.id,
                occurred_at=dt.datetime(year, month, 3, 10, i, tzinfo=JST),
            )
        )
    with running(AppProcess()) as (app,):
        async with browser_page(app.url) as page:
            await sign_in(page, "operator", demo_password("operator"))
            await page.goto(f"/ops/reports/annual?fy={FY}")
            await page.wait_for_selector('#chart-calls[data-drawn="true"]')
            await page.wait_for_selector('#chart-incidents[data-drawn="true"]')
            assert await page.inner_text('#summary tr[data-module="area"] td[data-calls]') == "4"
            datasets = await page.evaluate(
                "document.getElementById('chart-calls').chart.data.datasets"
                ".map(d => [d.label, d.data.reduce((a, b) => a + b, 0)])"
            )
            assert [n for _, n in datasets][:2] == [4, 1] and len(datasets) >= 4
            await screenshot(page, "reports-annual")
            assert page.console_errors == []

            async with page.expect_navigation():
                await page.click("#issue button[type=submit]")
            assert await page.get_attribute("#issued", "data-version") == "1"
            assert "/ops/reports/issued/" in page.url
            await page.wait_for_selector('#chart-calls[data-drawn="true"]')
            await screenshot(page, "reports-annual-issued")

            await page.goto(f"/ops/plans?fy={FY + 10}")
            await page.wait_for_selector('#chart-load[data-drawn="true"]')
            await screenshot(page, "reports-plan")
            await page.goto(f"/ops/reports/mic?fy={FY}")
            await page.wait_for_selector('#chart-usage[data-drawn="true"]')
            await screenshot(page, "reports-mic")
            assert page.console_errors == []

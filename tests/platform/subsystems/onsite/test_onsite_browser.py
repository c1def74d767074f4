"""The pages in Chromium against a real server: the agency approves a grant on its review page, and
the researcher, at the facility's terminal (its address, its device header), aggregates synthetic
census microdata and sees the suppressed cells marked. Screenshots go to test-artifacts/."""

import datetime as dt

import httpx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Scope
from govstat.platform.subsystems.onsite import facilities, grants
from govstat.platform.subsystems.onsite.schemas import DeviceIn, GrantIn
from tests.support.browser import browser_page, screenshot, sign_in


async def test_grant_review_then_an_aggregation_with_suppressed_cells(server):
    """On the demo seed: MIC's synthetic census persons, its facility at 127.0.0.1, onsite-researcher."""
    async with UnitOfWork(Scope.system("test")) as uow:
        persons = await uow.fetchval(
            "SELECT id FROM onsite_dataset WHERE gov_stat_code = '00200521' AND unit_kind = 'person' AND status = 'loaded' LIMIT 1"
        )
        facility_id = await uow.fetchval("SELECT id FROM onsite_facility WHERE '127.0.0.0/8' = ANY (ranges) LIMIT 1")
        who = await uow.fetchval("SELECT id FROM app_user WHERE login = 'onsite-researcher'")
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        credential = (await facilities.issue_device(uow, facility_id, DeviceIn(label="試験端末"))).credential
    async with UnitOfWork(Scope(role="onsite", actor=str(who))) as uow:
        grant = await grants.apply(
            uow,
            GrantIn(
                purpose="市区町村の年齢・男女別の人口構成の分析",
                dataset_ids=[persons],
                variables=["municipality", "sex", "age_group", "income"],
                facility_ids=[facility_id],
                starts_on=dt.date.today(),
                ends_on=dt.date.today() + dt.timedelta(days=20),
            ),
            "オンサイト 研究者",
        )

    async with browser_page(server.url) as page:
        await sign_in(page, "mic-admin", demo_password("mic-admin"))
        await page.goto("/onsite/grants")
        row = page.locator(f"tr[data-grant='{grant.id}']")
        assert "年齢・男女別" in await row.inner_text()
        await screenshot(page, "onsite-grant-review")
        await row.locator("button[value=approve]").click()
        await page.wait_for_load_state("networkidle")
        assert "有効" in await page.locator(f"tr[data-grant='{grant.id}']").inner_text()
        assert page.console_errors == []

    async with browser_page(server.url) as page:
        await page.context.set_extra_http_headers({"X-Onsite-Device": credential})  # the terminal's credential
        await sign_in(page, "onsite-researcher", demo_password("onsite-researcher"))
        await page.goto("/onsite")
        await page.click(f"#grants form:has(input[value='{grant.id}']) button[type=submit]")
        await page.wait_for_load_state("networkidle")
        assert "/onsite/visits/" in page.url
        await page.select_option("select[name=group_0]", "age_group")  # 天理市 (29204) by age and sex
        await page.select_option("select[name=group_1]", "sex")
        await page.select_option("select[name=filter_variable]", "municipality")
        await page.fill("input[name=filter_value]", "29204")
        await page.click("#query button[type=submit]")
        await page.wait_for_load_state("networkidle")
        table = page.locator("section.output").first
        assert await table.get_attribute("data-verdict") == "released"
        assert await table.locator("td.suppressed.threshold").count() > 0
        assert await table.locator("td.suppressed.secondary").count() > 0
        await screenshot(page, "onsite-aggregation")
        assert page.console_errors == []
    # and without the terminal's credential the same session is refused
    async with httpx.AsyncClient(base_url=server.url) as plain:
        r = await plain.post(
            "/auth/login", json={"login": "onsite-researcher", "password": demo_password("onsite-researcher")}
        )
        visit = page.url.rsplit("/", 1)[-1]
        r = await plain.get(f"/onsite/visits/{visit}")
        assert r.status_code == 403

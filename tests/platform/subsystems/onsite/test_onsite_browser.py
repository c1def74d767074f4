"""The pages in Chromium against a real server: the agency approves a grant on its review page, and
the researcher, at the facility's terminal (its address, its device header), aggregates synthetic
census microdata and sees the suppressed cells marked. Screenshots go to test-artifacts/."""

import datetime as dt
import uuid

import httpx
import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.onsite import grants, synth, upload
from govstat.platform.subsystems.onsite.schemas import GrantIn
from tests.platform.subsystems.onsite import onsite_support as s
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.factories import PASSWORD
from tests.support.server import AppProcess


@pytest.fixture(scope="module")
def server():
    app = AppProcess().start()
    try:
        yield app
    finally:
        app.stop()


async def test_grant_review_then_an_aggregation_with_suppressed_cells(server, app):
    tenant, headers = await s.agency()
    facility_id, credential = await s.facility(ranges=("127.0.0.0/8",))
    who = await s.researcher()
    people = synth.persons(scale=0.01)
    async with s.client_at(app, s.INSIDE) as c:
        r = await c.post(
            "/api/onsite/datasets",
            headers=headers,
            json={
                "survey_name": "令和2年国勢調査（合成）",
                "year": 2020,
                "title": "国勢調査 個票（合成・奈良県）",
                "variables": [
                    {"name": v.name, "label": v.label, "kind": v.kind, "codes": v.codes} for v in synth.PERSON_VARIABLES
                ],
                "retention_until": str(dt.date.today() + dt.timedelta(days=100)),
            },
        )
        d = r.json()
        r = await c.post(
            f"/api/onsite/datasets/{d['id']}/file",
            headers=headers,
            files={"file": ("persons.parquet", upload.to_parquet(people), "application/octet-stream")},
        )
        assert r.status_code == 200 and r.json()["row_count"] == people.num_rows
    async with UnitOfWork(Scope(role="onsite", actor=str(who.id))) as uow:
        grant = await grants.apply(
            uow,
            GrantIn(
                purpose="市区町村の年齢・男女別の人口構成の分析",
                dataset_ids=[uuid.UUID(d["id"])],
                variables=["municipality", "sex", "age_group", "income"],
                facility_ids=[facility_id],
                starts_on=dt.date.today(),
                ends_on=dt.date.today() + dt.timedelta(days=20),
            ),
            "研究 太郎",
        )

    async with browser_page(server.url) as page:
        await sign_in(page, tenant.admin_login, PASSWORD)
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
        await sign_in(page, who.login, PASSWORD)
        await page.goto("/onsite")
        await page.click("#grants button[type=submit]")
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
        r = await plain.post("/auth/login", json={"login": who.login, "password": PASSWORD})
        visit = page.url.rsplit("/", 1)[-1]
        r = await plain.get(f"/onsite/visits/{visit}")
        assert r.status_code == 403

"""The respondent's form and the agency's reception dashboard in a real headless Chromium, on a real
server: the forced password change, a validation error naming the item (screenshot), the receipt,
and the dashboard's chart drawn from counts that came through Kafka (screenshot)."""

import asyncio

import httpx

from govstat.platform.events.relay import run_relay
from govstat.platform.root.events import event_decoder
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.online.reception.consumers import ReceptionConsumer
from tests.platform.subsystems.online.online_support import NEW_PASSWORD, household_survey
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.eventually import eventually
from tests.support.factories import PASSWORD
from tests.support.server import AppProcess, running


async def test_respondent_form_with_a_validation_error_and_the_reception_dashboard():
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(get_settings(), stop)),
        asyncio.create_task(ReceptionConsumer().run(get_settings(), stop, event_decoder())),
    ]
    try:
        with running(AppProcess()) as (app,):
            async with httpx.AsyncClient(base_url=app.url, timeout=60) as api:
                t, h, s, letters, p = await household_survey(api, n=2, areas=["29201", "29209"])
            async with browser_page(app.url) as page:
                bad = []
                page.on("response", lambda r: r.status >= 400 and bad.append((r.status, r.url)))
                await sign_in(page, letters[0]["login"], letters[0]["password"])
                await page.goto("/online")
                assert page.url.endswith("/online/password")
                await page.fill("#current", letters[0]["password"])
                await page.fill("#new", NEW_PASSWORD)
                await page.fill("#again", NEW_PASSWORD)
                await page.click("main button[type=submit], form.card button[type=submit]")
                await page.click("#units a")
                assert await page.get_attribute(f"#i-{p}hh_name", "readonly") is not None
                await page.fill(f"#i-{p}hh_members", "３")  # full-width digits are fine
                await page.fill(f"#i-{p}hh_male", "1")
                await page.fill(f"#i-{p}hh_female", "1")  # 1 + 1 is not 3: the edit check
                await page.check(f"input[name={p}head_sex][value='2']")
                await page.fill(f"#i-{p}head_birth", "令和元年5月1日")
                await page.check(f"input[name={p}head_works][value='0']")
                await page.click("button[value=submit]")
                summary = await page.inner_text("#errors")
                assert "世帯員数は男女の合計と一致しません" in summary and "「世帯員数」" in summary
                assert await page.get_attribute(f"#i-{p}hh_members", "value") == "３"  # what was typed stays
                await screenshot(page, "online-form-validation-error")
                await page.fill(f"#i-{p}hh_female", "2")
                await page.click("button[value=submit]")
                receipt = await page.inner_text("#receipt")
                # the only console line: Chromium reporting the form's 422 (the answer with the errors)
                assert len(receipt) == 17 and [e for e in page.console_errors if "422" not in e] == [], bad

            async def counted():
                r = await httpx.AsyncClient(base_url=app.url).get(f"/api/online/surveys/{s['id']}/reception", headers=h)
                return r.json()["received"] == 1

            await eventually(counted, timeout=90, message="the submission counted through Kafka")
            async with browser_page(app.url) as page:
                await sign_in(page, t.staff_login, PASSWORD)
                await page.goto(f"/online/manage/{s['id']}")
                await page.wait_for_selector("#reception-chart[data-drawn=true]", timeout=30000)
                assert await page.inner_text("#total-received") == "1" and "50.0%" in await page.inner_text(
                    "#total-rate"
                )
                rates = await page.evaluate("() => Chart.getChart('reception-chart').data.datasets[0].data")
                assert sorted(rates) == [0, 100]
                assert "H002" in await page.inner_text("#missing")
                await screenshot(page, "online-reception-dashboard")
                assert page.console_errors == []
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)

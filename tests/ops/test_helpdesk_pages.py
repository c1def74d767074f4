"""GOV-11: the helpdesk pages: the list with its chart of targets met, one ticket, in a real Chromium too."""

import json
import re

from govstat.platform.root.seed import demo_password
from tests.support.browser import browser_page, screenshot
from tests.support.browser import sign_in as browser_sign_in
from tests.support.factories import another_client, csrf_headers, make_tenant, operator_client_csrf, sign_in
from tests.support.server import AppProcess, running

API = "/api/ops/helpdesk"


async def _late_phone_ticket(client, h, tenant_id=None) -> dict:
    body = {
        "channel": "phone",
        "subject": "目標未達の例",
        "received_at": "2026-11-13T10:00:00+09:00",
        **({"requester_kind": "agency", "tenant_id": str(tenant_id)} if tenant_id else {"requester_kind": "general"}),
    }
    t = (await client.post(f"{API}/tickets", headers=h, json=body)).json()
    await client.post(f"{API}/tickets/{t['id']}/answer", headers=h, json={"body": "遅い回答"})  # days later: missed
    return t


async def test_list_page_carries_the_figures_its_chart_draws(client):
    h = csrf_headers(await operator_client_csrf(client))
    t = await _late_phone_ticket(client, h)
    page = await client.get("/ops/helpdesk")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="chart-targets"' in page.text and "/static/helpdesk/helpdesk.js" in page.text
    assert "ヘルプデスク" in page.text and "Helpdesk" in page.text and t["number"] in page.text
    figures = json.loads(re.search(r'id="helpdesk-performance">(.*?)</script>', page.text, re.S).group(1))
    api = (await client.get(f"{API}/performance", params={"days": 90})).json()
    assert figures["first_response"] == api["first_response"] and figures["first_response"]["missed"] >= 1
    one = await client.get(f"/ops/helpdesk/{t['id']}")
    assert one.status_code == 200 and 'data-target="first_response" data-status="missed"' in one.text
    assert (await client.get("/static/helpdesk/helpdesk.js")).status_code == 200


async def test_an_agency_page_shows_its_own_tickets_only(client, app):
    a, b = await make_tenant(), await make_tenant()
    async with another_client(app) as op:
        h = csrf_headers(await operator_client_csrf(op))
        ta = await _late_phone_ticket(op, h, a.id)
        tb = await _late_phone_ticket(op, h, b.id)
    await sign_in(client, a.staff_login)
    page = await client.get("/ops/helpdesk")
    assert page.status_code == 200 and ta["number"] in page.text and tb["number"] not in page.text
    figures = json.loads(re.search(r'id="helpdesk-performance">(.*?)</script>', page.text, re.S).group(1))
    assert figures["tickets"] == 1


async def test_the_chart_is_drawn_in_a_browser(client):
    h = csrf_headers(await operator_client_csrf(client))
    await _late_phone_ticket(client, h)
    with running(AppProcess()) as (app,):
        async with browser_page(app.url) as page:
            await browser_sign_in(page, "operator", demo_password("operator"))
            await page.goto("/ops/helpdesk")
            await page.wait_for_selector("#panel-targets[data-loaded=true]", timeout=30000)
            drawn = await page.evaluate("""() => { const c = Chart.getChart('chart-targets');
                return c.data.datasets.map(d => [d.label, d.data]); }""")
            figures = json.loads(await page.inner_text("#helpdesk-performance"))
            assert [d[1] for d in drawn] == [
                [figures[t][k] for t in ("first_response", "resolution")] for k in ("met", "missed", "pending")
            ]
            assert figures["first_response"]["missed"] >= 1
            await screenshot(page, "ops-helpdesk")
            assert page.console_errors == []

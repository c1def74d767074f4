"""The e-Stat portal in a real headless Chromium (Debian's package) against a real app process:
the search page, a table page whose chart draws the selected cells, the regional ranking chart, the
release calendar and the inquiry form. No console errors; screenshots go to test-artifacts/."""

import datetime as dt

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer
from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.estat.estat_support import published_census
from tests.support.browser import browser_page, screenshot

JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
async def census():
    return await published_census()


async def test_search_page_finds_the_census(server, census):
    async with browser_page(server.url) as page:
        await page.goto("/estat")
        await page.fill("section.estat-hero input[name=q]", "男女別人口 国勢調査")
        await page.click("section.estat-hero button[type=submit]")
        await page.wait_for_selector("#results li[data-kind]")
        ids = await page.eval_on_selector_all("#results li[data-kind]", "els => els.map(e => e.dataset.id)")
        assert census["stats_data_id"] in ids
        assert "男女別人口" in await page.inner_text("#results")
        # conditions from the form: the statistic and the area level
        await page.select_option("#search-form select[name=stat]", "00200524")
        await page.click("#search-form button[type=submit]")
        await page.wait_for_selector("#total")
        ids = await page.eval_on_selector_all("#results li[data-kind]", "els => els.map(e => e.dataset.id)")
        assert census["stats_data_id"] not in ids
        await page.goto("/estat/search?q=%E4%BA%BA%E5%8F%A3")
        await page.wait_for_selector("#results li[data-kind]")
        await screenshot(page, "estat-search")
        assert page.console_errors == []


async def test_table_page_draws_the_selected_cells(server, census):
    sid = census["stats_data_id"]
    async with browser_page(server.url) as page:
        await page.goto(f"/estat/tables/{sid}?sel=1&cdCat01=0&lvArea=2")
        await page.wait_for_selector("#table-chart[data-drawn=true]")
        chart = await page.evaluate("""() => { const c = Chart.getChart('table-chart');
            return {type: c.config.type, labels: c.data.labels, data: c.data.datasets.map(d => d.data)}; }""")
        assert chart["type"] == "bar" and len(chart["labels"]) == 47 and len(chart["data"]) == 1
        assert chart["data"][0][chart["labels"].index("東京都")] == 14047594
        assert chart["data"][0][chart["labels"].index("奈良県")] == 1324473

        await page.select_option("#chart-type", "area")  # ranked by area
        ranked = await page.evaluate(
            "() => { const c = Chart.getChart('table-chart');"
            " return [c.data.labels.slice(0, 2), c.data.datasets[0].data.slice(0, 2)]; }"
        )
        assert ranked == [["東京都", "神奈川県"], [14047594, 9237337]]
        await screenshot(page, "estat-table-by-area")

        # the pickers: 男 and 女 instead of 総数, as a line across the prefectures
        await page.uncheck("input[name=cdCat01][value='0']")
        await page.check("input[name=cdCat01][value='1']")
        await page.check("input[name=cdCat01][value='2']")
        await page.click("#apply")
        await page.wait_for_selector("#table-chart[data-drawn=true]")
        assert "<strong>94</strong>" in await page.inner_html("#selection-summary")
        await page.select_option("#chart-type", "line")
        series = await page.evaluate(
            "() => Chart.getChart('table-chart').data.datasets.map(d => [d.label, d.data[d.data.length - 1]])"
        )
        assert series == [["男", 722812], ["女", 744668]]  # 沖縄県, the last prefecture
        assert await page.inner_text("#cells thead") and "6,898,388" in await page.inner_text("#cells")
        await screenshot(page, "estat-table")
        assert page.console_errors == []


async def test_regional_view_ranks_nara_municipalities(server, census):
    sid = census["stats_data_id"]
    async with browser_page(server.url) as page:
        await page.goto(f"/estat/regional?table={sid}")
        await page.select_option("select[name=view]", "muni")
        await page.select_option("select[name=pref]", "29000")
        await page.select_option("select[name=cdCat01]", "0")
        await page.click("#regional-form button[type=submit]")
        await page.wait_for_selector("#regional-chart[data-drawn=true]")
        chart = await page.evaluate("""() => { const c = Chart.getChart('regional-chart');
            return {labels: c.data.labels, data: c.data.datasets[0].data}; }""")
        assert len(chart["data"]) == 39 and chart["labels"][:2] == ["1. 奈良市", "2. 橿原市"]
        assert chart["data"][:2] == [354630, 120922] and chart["data"] == sorted(chart["data"], reverse=True)
        assert await page.inner_text("#ranking tbody tr:first-child td:nth-child(3)") == "奈良市"
        # the map: Nara's 39 municipalities shaded, 奈良市 (the largest) darkest
        await page.wait_for_selector("#regional-map[data-shaded]")
        assert await page.get_attribute("#regional-map", "data-shaded") == "39"
        fills = await page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#regional-map path[data-code]')]
            .map(p => [p.dataset.code, p.getAttribute('fill')]))""")
        darkness = {code: sum(int(c) for c in fill[4:-1].split(",")) for code, fill in fills.items()}
        assert min(darkness, key=darkness.get) == "29201" and max(darkness, key=darkness.get) == "29447"
        await screenshot(page, "estat-regional")
        await page.select_option("select[name=view]", "pref")
        await page.click("#regional-form button[type=submit]")
        await page.wait_for_selector("#regional-map[data-shaded]")
        assert await page.get_attribute("#regional-map", "data-shaded") == "47"
        await screenshot(page, "estat-regional-prefectures")
        # picking another table submits the form (a listener in regional.js: the CSP runs no inline handler)
        async with page.expect_navigation():
            await page.dispatch_event("select[name=table]", "change")
        assert "table=" in page.url
        assert page.console_errors == []


async def test_calendar_shows_an_announced_table(server):
    when = (dt.datetime.now(JST) + dt.timedelta(days=3)).replace(hour=10, minute=15, second=0, microsecond=0)
    title = f"公表予定ブラウザ {ps.uid()}"
    mark = await ps.outbox_mark()
    table = await ps.announce(title, when)
    await ps.feed(ReleaseConsumer(), mark)
    async with browser_page(server.url) as page:
        await page.goto(f"/estat/calendar?month={when:%Y-%m}")
        cell = page.locator(f'td[data-date="{when.date().isoformat()}"]')
        assert "10:15" in await cell.inner_text() and title in await cell.inner_text()
        row = await page.inner_text(f'tr[data-key="db:{table["stats_data_id"]}"]')
        assert title in row and when.strftime("%Y-%m-%d 10:15") in row
        await screenshot(page, "estat-calendar")
        assert page.console_errors == []


async def test_inquiry_form_creates_a_helpdesk_ticket(server):
    subject = f"統計表の探し方 {ps.uid()}"
    async with browser_page(server.url) as page:
        await page.goto("/estat/inquiry")
        await page.fill("input[name=name]", "統計 花子")
        await page.fill("input[name=email]", "hanako@example.jp")
        await page.fill("input[name=subject]", subject)
        await page.fill("textarea[name=body]", "市区町村別の人口はどこにありますか。")
        await page.click("#inquiry-form button[type=submit]")
        await page.wait_for_selector("#inquiry-number")
        number = await page.get_attribute("#inquiry-number", "data-number")
        await screenshot(page, "estat-inquiry")
        assert page.console_errors == []
    async with UnitOfWork(ps.SYSTEM) as uow:
        t = await uow.fetchrow(
            "SELECT subject, requester_email, channel, via, module_key, state FROM helpdesk_ticket WHERE number = $1",
            number,
        )
    assert dict(t) == {
        "subject": subject,
        "requester_email": "hanako@example.jp",
        "channel": "email",
        "via": "estat_form",
        "module_key": "estat",
        "state": "received",
    }


async def test_questionnaire_results_are_drawn_for_the_operator(server, app, client):
    from govstat.platform.root.seed import demo_password
    from tests.support.browser import sign_in

    h = await ps.operator(client)
    q = (
        await client.post(
            "/api/estat/questionnaires",
            headers=h,
            json={
                "title": f"ブラウザ集計 {ps.uid()}",
                "questions": [
                    {"kind": "single", "text": "満足度", "required": True, "choices": ["満足", "普通", "不満"]},
                    {"kind": "text", "text": "ご意見"},
                ],
            },
        )
    ).json()
    await client.post(f"/api/estat/questionnaires/{q['id']}/publish", headers=h)
    s, t = (x["id"] for x in q["questions"])
    for choice, text in ((0, "見やすい"), (0, ""), (2, "グラフが遅い")):
        async with ps.client_from(app) as anon:
            r = await anon.post(
                f"/api/estat/questionnaires/{q['id']}/responses", json={"answers": {s: [choice], t: text}}
            )
            assert r.status_code == 201, r.text
    async with browser_page(server.url) as page:
        await sign_in(page, "operator", demo_password("operator"))
        await page.goto(f"/estat/admin/questionnaires/{q['id']}")
        await page.wait_for_selector("#chart-1[data-drawn=true]")
        drawn = await page.evaluate(
            "() => { const c = Chart.getChart('chart-1'); return [c.data.labels, c.data.datasets[0].data]; }"
        )
        assert drawn == [["満足", "普通", "不満"], [2, 0, 1]]
        assert "グラフが遅い" in await page.inner_text("#result-2")
        await screenshot(page, "estat-questionnaire-results")
        assert page.console_errors == []

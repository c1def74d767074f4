"""REGION-1 in a real headless Chromium: a time series of a merged municipality whose earlier value
is recombined from its predecessors (drawn as a diamond, the old codes listed), and a ranking with
its chart and maps (d3-geo for prefectures, the GIS's vector tiles for municipalities). Screenshots go to test-artifacts/."""

from tests.platform.subsystems.region.region_support import earlier_table
from tests.support.browser import browser_page, screenshot


async def test_series_with_a_recombined_municipality_and_a_ranking(server):
    await earlier_table({"01202": 287_637, "01339": 3_011, "01340": 4_132, "01341": 1_299, "01342": 7_858}, "T_BROWSER")
    async with browser_page(server.url, webgl=True) as page:
        await page.goto("/region/series?indicator=T_BROWSER&areas=01202")
        await page.wait_for_selector("#series-chart[data-drawn=true]")
        chart = await page.evaluate("""() => { const c = Chart.getChart('series-chart');
            return {labels: c.data.labels, data: c.data.datasets[0].data, styles: c.data.datasets[0].pointStyle}; }""")
        assert chart["labels"] == [2000, 2020]
        assert chart["data"][0] == 287_637 + 3_011 + 4_132 + 1_299 + 7_858 and chart["styles"][0] == "rectRot"
        parts = await page.inner_text("table.series tr[data-year='2000'] td.parts")
        assert all(name in parts for name in ("戸井町", "恵山町", "椴法華村", "南茅部町"))
        await screenshot(page, "region-series-recombined")
        await page.goto("/region/ranking?indicator=A1101")
        await page.wait_for_selector("#region-map[data-shaded]")
        assert await page.get_attribute("#region-map", "data-shaded") == "47"  # d3-geo over the prefectures
        await page.goto("/region/ranking?indicator=A1103&level=muni&pref=19")
        await page.wait_for_selector("#ranking-chart[data-drawn=true]")
        await page.wait_for_selector("#region-gl[data-shaded]", timeout=60_000)  # the GIS's tiles (MapLibre)
        rows = await page.eval_on_selector_all("#ranking tbody tr[data-rank]:not([data-rank=''])", "els => els.length")
        assert rows == 27 and await page.get_attribute("#region-gl", "data-shaded") == "27"
        assert "甲府市" in await page.inner_text("#ranking")
        await screenshot(page, "region-ranking")
        assert page.console_errors == []

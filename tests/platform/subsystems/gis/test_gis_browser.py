"""The national choropleth of the 2020 census by municipality in headless Chromium: MapLibre draws
govstat's own tiles, the legend and the MLIT credit show, a click opens the popup, a drawn triangle gets
its areal-weighted estimate; screenshots of each."""

import asyncio
import time

from tests.support.browser import browser_page, screenshot
from tests.support.server import AppProcess, running


async def _tiles_loaded(page, seconds: float = 60.0) -> None:
    """Polled with page.evaluate: wait_for_function polls through eval() inside the page, which the
    page's CSP (script-src 'self') refuses whenever the first check is not yet true."""
    t0 = time.monotonic()
    while not await page.evaluate("window.govstatMap.loaded() && window.govstatMap.areTilesLoaded()"):
        assert time.monotonic() - t0 < seconds, "the map's tiles did not load"
        await asyncio.sleep(0.1)


async def test_national_census_choropleth_in_a_browser(census):
    sid = census
    with running(AppProcess()) as (app,):
        async with browser_page(app.url, webgl=True) as page:
            await page.goto(f"/gis?table={sid}&level=municipality&method=quantile&classes=5")
            await page.wait_for_selector('#map[data-ready="1"]', timeout=90_000)  # software WebGL on a busy machine
            legend = await page.inner_text("#legend")
            assert "分位数" in legend and "データなし・秘匿" in legend and "以上" in legend
            assert "国土数値情報（行政区域データ）（国土交通省）" in await page.inner_text("#credit")
            assert "国土数値情報" in await page.inner_text(".maplibregl-ctrl-attrib")
            drawn = await page.evaluate(
                "window.govstatMap.queryRenderedFeatures({layers: ['fill']}).map(f => f.properties.code)"
            )
            assert len(set(drawn)) > 1000  # the whole country's municipalities are on screen
            await screenshot(page, "gis-national-census-choropleth")
            # Tokyo's special wards: zoom in and click 千代田区 for its popup
            await page.evaluate("window.govstatMap.jumpTo({center: [139.7536, 35.6940], zoom: 12})")
            await _tiles_loaded(page)
            box = await page.locator("#map canvas").bounding_box()
            await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            popup = page.locator(".maplibregl-popup-content")
            await popup.wait_for(timeout=10_000)
            text = await popup.inner_text()
            assert "千代田区（13101）" in text and "66,680" in text and "統計表を見る" in text
            await screenshot(page, "gis-census-popup")
            # draw a triangle over 千代田区 and 中央区 and estimate its population by area share
            await page.keyboard.press("Escape")
            await page.click("#draw-polygon")
            await page.evaluate("document.getElementById('map').scrollIntoView()")
            box = await page.locator("#map canvas").bounding_box()
            for lon, lat in ((139.735, 35.672), (139.790, 35.672), (139.765, 35.700)):
                xy = await page.evaluate(f"window.govstatMap.project([{lon}, {lat}])")
                await page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
            await page.click("#draw-done")
            await page.wait_for_selector("#allocation:not([hidden]) #alloc-parts tr[data-code='13101']")
            rows = await page.locator("#alloc-parts tr").all_inner_texts()
            assert any("千代田区（13101）" in r for r in rows) and any("中央区（13102）" in r for r in rows)
            assert "面積按分" in await page.inner_text("#alloc-assumption")
            await screenshot(page, "gis-allocation")
            assert page.console_errors == []

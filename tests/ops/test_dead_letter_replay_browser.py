"""The /ops dead-letter list's replay button in a real headless Chromium (no inline script: the page's
CSP refuses it; dashboard.js posts with the session's CSRF token)."""

import uuid

from govstat.ops.consumers import AuditLogConsumer
from govstat.platform.root.seed import demo_password
from tests.platform.test_events_replay import audit_event, audit_rows, row, set_aside
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.server import AppProcess, running


async def test_the_replay_button_puts_a_dead_letter_back_once():
    target = f"button-{uuid.uuid4().hex[:8]}"
    dead = await set_aside(AuditLogConsumer.name, audit_event(target), error="RuntimeError: fixed since")
    with running(AppProcess()) as (app,):
        async with browser_page(app.url) as page:
            await sign_in(page, "operator", demo_password("operator"))
            await page.goto("/ops")
            await page.wait_for_selector("#dashboard[data-loaded=true]", timeout=30000)
            button = page.locator(f'#dead-letter-table button.replay[data-id="{dead}"]')
            await button.wait_for(timeout=30000)
            assert await button.inner_text() == "再処理 / Replay"
            await button.click()
            await page.wait_for_selector('#dead-letter-result[data-status="200"]', timeout=30000)
            assert "適用しました" in await page.inner_text("#dead-letter-result")
            await button.wait_for(state="detached", timeout=30000)  # the list, drawn again: replayed, no button
            assert "再処理済" in await page.inner_text("#dead-letter-table tbody")
            await screenshot(page, "ops-dead-letter-replayed")
            assert page.console_errors == [], page.console_errors
    assert await audit_rows(target) == 1
    kept = await row(dead)
    assert kept["outcome"] == "applied" and kept["replayed_at"] is not None

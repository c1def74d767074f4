"""The operator's dashboards in a real headless Chromium, drawing real data that went through Kafka."""

import asyncio
import uuid

import httpx

from govstat.gateway.usage_drain import drain_once
from govstat.ops.consumers import AuditLogConsumer, UsageRollupConsumer
from govstat.platform.cache import redis_client
from govstat.platform.db.replication_health import replication_health
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.relay import run_relay
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.eventually import eventually
from tests.support.server import AppProcess, running


async def _traffic(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as c:
        for i in range(12):
            await c.get("/api/area/codes", params={"limit": 5, "pref": f"{(i % 47) + 1:02d}"})
        await c.post("/auth/login", json={"login": "operator", "password": "wrong-password!!"})
    moved = 0

    async def drained_all() -> bool:  # each call's full event follows its answer by a moment
        nonlocal moved
        moved += await drain_once(redis_client(), "test-drain")
        return moved >= 12

    await eventually(drained_all, timeout=30, message="the calls' usage drained")


async def _rolled_up():
    async with UnitOfWork(Scope.system()) as uow:
        return await uow.fetchval("SELECT sum(calls) FROM usage_minute WHERE minute > now() - interval '10 minutes'")


async def _poison_event_set_aside() -> str:
    """A dead letter as the relay leaves it after MAX_ATTEMPTS (platform/events/poison.py)."""
    from govstat.platform.events.poison import RELAY, dead_letter_now

    marker = f"MessageSizeTooLargeError: test-{uuid.uuid4().hex[:8]}"
    await dead_letter_now(
        consumer=RELAY,
        topic="test.audit",
        partition=-1,
        offset=uuid.uuid4().int % 10**9,
        payload=b"{}",
        error=marker,
        event_id=uuid.uuid4(),
        attempts=5,
    )
    return marker


async def test_operator_dashboard_draws_live_data():
    settings = get_settings()
    poison = await _poison_event_set_aside()
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(UsageRollupConsumer().run(settings, stop)),
        asyncio.create_task(AuditLogConsumer().run(settings, stop)),
    ]
    try:
        with running(AppProcess()) as (app,):
            await _traffic(app.url)
            await eventually(_rolled_up, timeout=90, message="usage rolled up through Kafka")
            async with browser_page(app.url) as page:
                await sign_in(page, "operator", demo_password("operator"))
                await page.goto("/ops")
                await page.wait_for_selector("#dashboard[data-loaded=true]", timeout=30000)
                drawn = await page.evaluate("""() => ['chart-usage', 'chart-security', 'chart-pipeline'].map(id => {
                    const c = Chart.getChart(id); return c ? c.data.datasets.reduce((n, d) => n + d.data.length, 0) : -1; })""")
                assert all(n > 0 for n in drawn), drawn
                sla_modules = await page.evaluate("() => Chart.getChart('chart-sla').data.labels")
                assert "area" in sla_modules and "estat" in sla_modules
                first_row = await page.inner_text("#sla-table tbody tr:first-child")
                assert "(" in first_row and "%" in first_row
                calls = await page.evaluate(
                    "() => Chart.getChart('chart-usage').data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)"
                )
                assert calls >= 12
                # the dead-letter panel: how many events were set aside, the latest with their error
                assert int(await page.inner_text("#dead-letter-count")) >= 1
                dead = await page.inner_text("#dead-letter-table tbody")
                assert poison in dead and "relay" in dead
                # the replication panel (ops/monitoring/replication.py): the primary's slots, their limits
                await page.wait_for_selector("#panel-replication[data-state]", timeout=30000)
                assert await page.get_attribute("#panel-replication", "data-state") in ("healthy", "over")
                assert "statement_timeout" in await page.inner_text("#replication-limits")
                async with UnitOfWork(Scope.system()) as uow:
                    slots = [s.slot_name for s in (await replication_health(uow, 2000)).slots]
                shown = await page.inner_text("#replication-slots tbody")
                assert all(name in shown for name in slots if name.startswith("govstat_replica_")), (slots, shown)
                await screenshot(page, "ops-dashboard")
                assert page.console_errors == []

                await page.goto("/ops/audit?action=auth.sign_in")
                assert "auth.sign_in" in await page.inner_text("#audit")
                await screenshot(page, "ops-audit")
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)

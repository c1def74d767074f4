"""The incident pages in headless Chromium: the public status page, the operator's list and the
incident with its vertical timeline (its forms drive the API), and an agency's notices."""

import datetime as dt
import uuid

from govstat.ops.incidents import maintenance, service
from govstat.ops.incidents.schemas import IncidentIn, MaintenanceIn, TransitionIn
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Scope
from tests.support import factories as f
from tests.support.browser import browser_page, screenshot, sign_in
from tests.support.server import AppProcess, running

OPERATOR = Scope(role="operator", actor="test-browser")


async def test_status_and_incident_pages_in_a_browser():
    tenant = await f.make_tenant(modules=("tables",))
    now = dt.datetime.now(dt.UTC)
    async with UnitOfWork(OPERATOR) as uow:
        incident = await service.open_manual(
            uow,
            CATALOG,
            IncidentIn(
                module_key="tables",
                severity="major",
                title="統計表ファイルの登録ができない / table files cannot be registered",
                note="アップロード後に500",
                public_note="統計表ファイルの登録ができない状態です。/ Registering table files fails.",
            ),
        )
        await service.transition(
            uow,
            CATALOG,
            incident.id,
            TransitionIn(
                to="investigating", note="ストレージの容量を確認", public_note="原因を調査しています。/ Investigating."
            ),
        )
        window = await maintenance.schedule_maintenance(
            uow,
            CATALOG,
            MaintenanceIn(
                module_key="statdb",
                starts_at=now - dt.timedelta(minutes=10),
                ends_at=now + dt.timedelta(hours=2),
                description="統計データベースの計画保守 / statdb planned maintenance",
            ),
        )
    iid = str(incident.id)
    try:
        with running(AppProcess()) as (app,):
            async with browser_page(app.url) as page:
                await page.goto("/status")
                await page.wait_for_selector("#modules")
                assert await page.get_attribute('tr[data-module="tables"]', "data-state") == "outage"
                assert await page.get_attribute('tr[data-module="statdb"]', "data-state") == "maintenance"
                assert await page.get_attribute("#overall", "data-state") == "outage"
                cells = await page.locator('tr[data-module="tables"] .day').count()
                assert cells == 90
                assert await page.locator('tr[data-module="tables"] .day').last.get_attribute("data-state") == "outage"
                text = await page.inner_text("#incidents")
                assert "原因を調査しています" in text and "Investigating." in text and "アップロード後に500" not in text
                await screenshot(page, "incidents-status")
                assert page.console_errors == []

                await sign_in(page, "operator", demo_password("operator"))
                await page.goto("/ops/incidents")
                assert iid in await page.inner_html("#incidents")
                await screenshot(page, "incidents-list")
                await page.goto(f"/ops/incidents/{iid}")
                assert await page.locator("#timeline > li").count() == 2
                assert "アップロード後に500" in await page.inner_text("#timeline")  # internal notes: operator only

                # the transition form posts JSON with the CSRF token and reloads
                await page.select_option("#transition select[name=to]", "identified")
                await page.fill("#transition textarea[name=public_note]", "原因を特定しました。/ Cause identified.")
                async with page.expect_navigation():
                    await page.click("#transition button[type=submit]")
                assert await page.get_attribute("#summary", "data-state") == "identified"
                assert await page.locator("#timeline > li").count() == 3
                # the post-incident review form
                await page.fill("#review-form textarea[name=cause]", "ディスク容量の枯渇")
                await page.fill("#review-form textarea[name=prevention]", "容量監視の閾値を追加")
                await page.fill("#review-form input[name=owner]", "運用管理チーム")
                await page.fill("#review-form input[name=due_on]", "2026-12-31")
                async with page.expect_navigation():
                    await page.click("#review-form button[type=submit]")
                assert "ディスク容量の枯渇" in await page.inner_text("#review")
                await screenshot(page, "incidents-detail")
                assert page.console_errors == []

            async with browser_page(app.url) as page:
                await sign_in(page, tenant.admin_login, f.PASSWORD)
                await page.goto("/ops/notices")
                assert "【障害発生】" in await page.inner_text("#notices")
                async with page.expect_navigation():
                    await page.click("#notices form button[type=submit]")
                assert await page.inner_text("#unread") == "0"
                await page.goto(f"/ops/incidents/{iid}")
                assert "原因を特定しました" in await page.inner_text("#timeline")
                assert await page.locator("#transition").count() == 0
                await screenshot(page, "incidents-agency")
                assert page.console_errors == []
    finally:
        async with UnitOfWork(OPERATOR) as uow:
            current = await service.get_incident(uow, uuid.UUID(iid))
            for to in ("monitoring", "recovered"):
                if to in service.lifecycle.allowed(current.state):
                    current = await service.transition(uow, CATALOG, current.id, TransitionIn(to=to))
            await maintenance.cancel_maintenance(uow, window.id)

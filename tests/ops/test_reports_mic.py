"""GOV-13: the operations report to MIC (総務省への報告). Its figures span the whole platform, so the test
measures what one year's new facts add: a tenant, helpdesk tickets (one answered in time), a briefing
held with its attendance, usage, an incident; and MIC (whose own scope is one tenant) sees it all."""

import datetime as dt
import io

import openpyxl

from govstat.ops.consumers import UsageRollupConsumer
from govstat.ops.governance import briefings
from govstat.ops.governance import schemas as gov
from govstat.ops.helpdesk import intake, workflow
from govstat.ops.helpdesk import schemas as desk
from govstat.ops.incidents import service
from govstat.ops.reports import periods
from govstat.ops.reports.mic import figures as mic
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Principal, PrincipalKind, Role, Scope
from tests.support import factories as f

OPERATOR = Scope(role="operator", actor="test-mic")


async def build(fy: int):
    async with UnitOfWork(OPERATOR) as uow:
        return await mic.build(uow, CATALOG, fy)


def active(report, kind: str) -> int:
    return sum(t.tenants for t in report.tenants if t.kind == kind and t.status == "active")


async def test_the_year_s_facts_add_up_in_the_mic_report():
    fy = periods.current_fiscal_year()
    before = await build(fy)
    tenant = await f.make_tenant()
    now = dt.datetime.now(dt.UTC)
    async with UnitOfWork(OPERATOR) as uow:
        answered = await intake.record(
            uow,
            desk.TicketIn(
                channel="email",
                requester_kind="agency",
                tenant_id=tenant.id,
                subject="利用方法",
                received_at=now - dt.timedelta(minutes=5),
            ),
        )
        await intake.record(uow, desk.TicketIn(channel="web", requester_kind="general", subject="統計表の所在"))
        await workflow.transition(uow, answered.id, "answer", body="回答しました")
        briefing = await briefings.create(uow, gov.BriefingIn(kind="other", fiscal_year=fy, title="臨時説明会"))
        session = await briefings.add_session(
            uow,
            briefing.id,
            gov.SessionIn(
                starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1), place="会議室", capacity=10
            ),
        )
        await service.open_incident(
            uow, CATALOG, module_key="area", title="一時的な遅延", severity="minor", source="manual"
        )
        user = await uow.fetchval("SELECT id FROM app_user WHERE login = $1", tenant.staff_login)
    principal = Principal(
        kind=PrincipalKind.AGENCY, subject=str(user), tenant_id=tenant.id, roles=frozenset({Role.AGENCY_STAFF})
    )
    async with UnitOfWork(principal.scope()) as uow:
        registration = await briefings.register(uow, principal, session.id, gov.RegistrationIn())
    async with UnitOfWork(OPERATOR) as uow:
        await briefings.record_attendance(
            uow, session.id, [gov.AttendanceIn(registration_id=registration.id, attended=True)]
        )
    await UsageRollupConsumer().apply(
        new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", units=3), tenant.id)
    )
    after = await build(fy)

    assert active(after, "constituent") == active(before, "constituent") + 1
    assert after.tenants_activated.get("constituent", 0) == before.tenants_activated.get("constituent", 0) + 1
    h, hb = after.helpdesk, before.helpdesk
    assert h.tickets == hb.tickets + 2
    assert h.by_channel.get("web", 0) == hb.by_channel.get("web", 0) + 1
    assert h.by_requester.get("general", 0) == hb.by_requester.get("general", 0) + 1
    assert h.first_response.met == hb.first_response.met + 1  # answered within a business day
    assert h.first_response.pending == hb.first_response.pending + 1
    assert h.resolution.pending == hb.resolution.pending + 2
    assert after.briefings.sessions_held == before.briefings.sessions_held + 1
    assert after.briefings.by_kind.get("other", 0) == before.briefings.by_kind.get("other", 0) + 1
    assert (after.briefings.registrations, after.briefings.attended) == (
        before.briefings.registrations + 1,
        before.briefings.attended + 1,
    )
    area = {s.key: s for s in after.usage}["area"].total
    area_before = {s.key: s for s in before.usage}["area"].total
    assert (area.calls, area.units) == (area_before.calls + 1, area_before.units + 3)
    assert after.usage_total.calls == before.usage_total.calls + 1
    assert after.incidents.total == before.incidents.total + 1
    assert after.incidents.by_severity.get("minor", 0) == before.incidents.by_severity.get("minor", 0) + 1
    assert after.contracts.bulk_references and after.contracts.constituents_covered >= active(after, "constituent") - 0


async def test_mic_reads_the_whole_platform_figures_and_agencies_do_not(client, app):
    fy = periods.current_fiscal_year()
    expected = await build(fy)
    async with f.another_client(app) as c:
        await f.sign_in(c, "mic-oversight", demo_password("mic-oversight"))
        r = await c.get(f"/api/ops/reports/mic?fy={fy}")
        assert r.status_code == 200, r.text
        report = r.json()["report"]
        # every tenant counted, though MIC's own scope sees one tenant only
        assert sum(t["tenants"] for t in report["tenants"]) == sum(t.tenants for t in expected.tenants) > 1
        assert report["helpdesk"]["tickets"] == expected.helpdesk.tickets
        csv_ = await c.get(f"/api/ops/reports/mic.csv?fy={fy}")
        assert csv_.status_code == 200 and csv_.content.startswith(b"\xef\xbb\xbf")
        assert "ヘルプデスク・説明会: 目標の達成状況" in csv_.content.decode("utf-8-sig")
        wb = openpyxl.load_workbook(io.BytesIO((await c.get(f"/api/ops/reports/mic.xlsx?fy={fy}")).content))
        assert wb.sheetnames == ["概要", "利用状況", "障害", "ヘルプデスク・説明会"]
        [row] = [r for r in wb["障害"].iter_rows(values_only=True) if r[0] == "障害件数 / Incidents"]
        assert row[1] == expected.incidents.total
        assert len(wb["利用状況"]._charts) == 1
        page = await c.get(f"/ops/reports/mic?fy={fy}")
        assert page.status_code == 200 and 'id="helpdesk"' in page.text and 'id="issue"' not in page.text
        index = await c.get("/ops/reports")
        assert index.status_code == 200 and "/ops/reports/annual" not in index.text
        assert (await c.get(f"/api/ops/reports/annual?fy={fy}")).status_code == 403
        assert (await c.get(f"/api/ops/plans/plan?fy={fy + 1}")).status_code == 403
    async with f.another_client(app) as c:
        await f.sign_in(c, "maff-admin", demo_password("maff-admin"))
        assert (await c.get(f"/api/ops/reports/mic?fy={fy}")).status_code == 403
        assert (await c.get("/ops/reports")).status_code == 403

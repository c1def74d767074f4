"""GOV-13: the annual report to the liaison meeting, from a known year of data built through the real
read-model paths: usage events through the usage (and SLA) consumers, incidents through the incident
use cases with their post-incident review. FY2019 is used by no other test, so its figures are exact."""

import asyncio
import datetime as dt
import io

import openpyxl
import pytest

from govstat.gateway.sla.consumers import SlaConsumer
from govstat.ops.consumers import UsageRollupConsumer
from govstat.ops.incidents import service
from govstat.ops.incidents.schemas import ReviewIn, TransitionIn
from govstat.ops.reports.annual import figures as annual
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Scope
from tests.support import factories as f

JST = dt.timezone(dt.timedelta(hours=9))
FY = 2019
OPERATOR = Scope(role="operator", actor="test-reports")
AREA, CLASSIFICATION = CATALOG.by_key("area").name_ja, CATALOG.by_key("classification").name_ja


def at(y, m, d, h=10, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=JST)


async def feed(
    tenant_id,
    module: str,
    when: dt.datetime,
    n: int = 1,
    *,
    status: int = 200,
    units: int = 0,
    kind: str = "agency",
    source: str = "request",
) -> None:
    """Usage events as the gateway meters them, applied by the real consumers (usage and SLA)."""
    rollup, sla = UsageRollupConsumer(), SlaConsumer()
    for i in range(n):
        event = new_event(
            UsagePayload(
                module=module,
                operation=f"{module}.search",
                principal_kind=kind,
                status=status,
                units=units,
                latency_ms=20.0,
                source=source,
            ),
            tenant_id,
            occurred_at=when + dt.timedelta(seconds=i),
        )
        assert await rollup.apply(event) and await sla.apply(event)
        assert not await rollup.apply(event)  # a redelivery counts once


async def recover(uow, incident, *, investigating_note: str) -> None:
    for to, public in (
        ("investigating", investigating_note),
        ("identified", ""),
        ("monitoring", ""),
        ("recovered", ""),
    ):
        await service.transition(uow, CATALOG, incident.id, TransitionIn(to=to, public_note=public))


@pytest.fixture(scope="module")
async def year():
    a = await f.make_tenant(modules=("area", "classification"))
    b = await f.make_tenant(modules=("area",))
    await feed(a.id, "area", at(2019, 4, 1, 0, 0), units=2)  # the first instant of the year (JST)
    await feed(a.id, "area", at(2019, 4, 10), 3, units=5)
    await feed(a.id, "area", at(2019, 5, 20), status=503)
    await feed(b.id, "area", at(2019, 5, 21), 2, units=10)
    await feed(None, "area", at(2019, 12, 31, 23, 30), kind="anonymous")  # 14:30 UTC: December in Japan
    await feed(None, "area", at(2020, 3, 31, 23, 59), kind="anonymous")  # the last minute of the year
    await feed(a.id, "area", at(2019, 3, 31, 23, 59))  # FY2018
    await feed(a.id, "area", at(2020, 4, 1, 0, 0))  # FY2020
    await feed(None, "area", at(2019, 7, 1), status=599, kind="system", source="probe")  # SLA only, not usage
    await feed(a.id, "classification", at(2019, 8, 1), 3, units=1)
    await feed(a.id, "classification", at(2019, 8, 1, 11), status=404)

    async with UnitOfWork(OPERATOR) as uow:
        db_now = await uow.fetchval("SELECT now()")  # the transaction's time: every transition below is stamped with it
        old = await service.open_incident(
            uow,
            CATALOG,
            module_key="area",
            title="標準地域コードの検索が遅延",
            severity="major",
            source="manual",
            detected_at=at(2019, 6, 10),
        )
        await recover(uow, old, investigating_note="原因を調査しています。")
        await service.record_review(
            uow,
            old.id,
            ReviewIn(
                cause="ディスク障害", prevention="ディスクの冗長化", owner="基盤チーム", due_on=dt.date(2019, 9, 30)
            ),
        )
        await service.transition(uow, CATALOG, old.id, TransitionIn(to="review"))
        new = await service.open_incident(
            uow,
            CATALOG,
            module_key="classification",
            title="分類検索の停止",
            severity="critical",
            source="manual",
            detected_at=db_now - dt.timedelta(minutes=125),
        )
        await recover(uow, new, investigating_note="分類データベースを調査中")
        await service.record_review(
            uow,
            new.id,
            ReviewIn(
                cause="設定誤り", prevention="変更手順の二重確認", owner="運用チーム", due_on=dt.date(2027, 1, 31)
            ),
        )
    return {"a": a, "b": b, "old": old, "new": new, "db_now": db_now}


def by_key(report, key):
    return next(s for s in report.subsystems if s.key == key)


async def test_usage_per_subsystem_month_and_tenant(year):
    async with UnitOfWork(OPERATOR) as uow:
        report = await annual.build(uow, CATALOG, FY)
    assert report.months[0] == "2019-04" and report.months[-1] == "2020-03"
    area = by_key(report, "area")
    assert [m.calls for m in area.monthly] == [4, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    assert [m.units for m in area.monthly] == [17, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [m.errors for m in area.monthly] == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert (area.total.calls, area.total.units, area.total.errors, area.total.client_errors) == (9, 37, 1, 0)
    tenants = {t.tenant_id: (t.calls, t.units, t.errors) for t in area.tenants}
    assert tenants == {str(year["a"].id): (5, 17, 1), str(year["b"].id): (2, 20, 0), None: (2, 0, 0)}
    assert area.tenants[0].code == year["a"].code  # most calls first
    cls = by_key(report, "classification")
    assert [m.calls for m in cls.monthly] == [0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]
    assert (cls.total.calls, cls.total.units, cls.total.errors, cls.total.client_errors) == (4, 3, 0, 1)
    assert (report.total.calls, report.total.units, report.total.errors) == (13, 40, 1)
    assert [m.calls for m in report.monthly_total] == [4, 3, 0, 0, 4, 0, 0, 0, 1, 0, 0, 1]
    assert {s.key for s in report.subsystems} >= {"area", "classification", "tables", "statdb"}
    assert "ops" not in {s.key for s in report.subsystems} and by_key(report, "tables").total.calls == 0


async def test_availability_comes_from_the_sla_minutes(year):
    async with UnitOfWork(OPERATOR) as uow:
        report = await annual.build(uow, CATALOG, FY)
        target = await uow.fetchval("SELECT availability_target FROM slo WHERE module_key = 'area'") or 99.9
    area = by_key(report, "area").availability
    assert report.sla_available
    assert (area.calls, area.errors, area.availability, area.target) == (10, 2, 80.0, target)  # the probe counts here
    assert area.monthly == [100.0, 66.6667, None, 0.0, None, None, None, None, 100.0, None, None, 100.0]
    assert area.met is False
    assert by_key(report, "classification").availability.availability == 100.0  # a 404 is the caller's


async def test_incidents_with_their_handling(year):
    async with UnitOfWork(OPERATOR) as uow:
        report = await annual.build(uow, CATALOG, FY)
        current = await annual.build(uow, CATALOG, 2026)
    [old] = report.incidents
    expected = round((year["db_now"] - at(2019, 6, 10)).total_seconds() / 60, 1)
    assert old.ref == f"INC-{year['old'].number:06d}" and old.module_name == AREA
    assert (old.detected_at, old.recovered_at, old.mitigated_at) == (at(2019, 6, 10), year["db_now"], year["db_now"])
    assert old.duration_minutes == expected and old.mitigation_minutes == expected
    assert (old.state, old.severity, old.source) == ("review", "major", "manual")
    assert (old.cause, old.prevention, old.review_owner, old.review_due_on) == (
        "ディスク障害",
        "ディスクの冗長化",
        "基盤チーム",
        dt.date(2019, 9, 30),
    )
    assert [u.state for u in old.updates] == ["detected", "investigating", "monitoring", "recovered"]
    assert old.updates[1].body == "原因を調査しています。"
    assert report.incidents_per_month == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    area = by_key(report, "area")
    assert (area.incidents, area.outage_minutes) == (1, expected)
    async with UnitOfWork(OPERATOR) as uow:
        affected = await uow.fetchval("SELECT count(*) FROM incident_affected WHERE incident_id = $1", year["old"].id)
    assert old.affected_tenants == affected >= 2

    [new] = [i for i in current.incidents if i.ref == f"INC-{year['new'].number:06d}"]
    assert (new.duration_minutes, new.mitigation_minutes) == (125.0, 125.0)
    assert (new.cause, new.prevention, new.state) == ("設定誤り", "変更手順の二重確認", "recovered")
    assert new.module_name == CLASSIFICATION and new.severity == "critical"


async def test_api_csv_and_access(client, app, year):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    r = await client.get(f"/api/ops/reports/annual?fy={FY}", headers=h)
    assert r.status_code == 200, r.text
    area = next(s for s in r.json()["report"]["subsystems"] if s["key"] == "area")
    assert area["total"]["calls"] == 9 and r.json()["issue"] is None
    csv_ = await client.get(f"/api/ops/reports/annual.csv?fy={FY}")
    assert csv_.status_code == 200 and csv_.headers["content-type"].startswith("text/csv")
    assert csv_.content.startswith(b"\xef\xbb\xbf")
    text = csv_.content.decode("utf-8-sig")
    monthly = text.split("利用状況: 月別呼出し数")[1].split("\r\n\r\n")[0].splitlines()
    assert monthly[1].startswith("サブシステム") and "2019年4月" in monthly[1]
    assert f"{AREA},4,3,0,0,0,0,0,0,1,0,0,1,9" in monthly
    assert f"INC-{year['old'].number:06d}" in text and "ディスクの冗長化" in text

    for login in ("mic-oversight", "maff-admin"):
        other = f.another_client(app)
        async with other:
            await f.sign_in(other, login, demo_password(login))
            assert (await other.get(f"/api/ops/reports/annual?fy={FY}")).status_code == 403
            assert (await other.get(f"/api/ops/reports/annual.xlsx?fy={FY}")).status_code == 403


async def test_xlsx_has_the_sheets_headers_formats_chart_and_figures(client, year):
    await f.operator_client_csrf(client)
    r = await client.get(f"/api/ops/reports/annual.xlsx?fy={FY}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert f"govstat-annual-fy{FY}.xlsx" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["概要", "利用状況", "障害"]
    usage = wb["利用状況"]
    rows = list(usage.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "サブシステム / Subsystem")
    assert rows[header][1:14] == (
        *tuple(f"{y}年{m}月" for y, m in [(2019, m) for m in range(4, 13)] + [(2020, m) for m in (1, 2, 3)]),
        "合計 / Total",
    )
    area_row = next(i for i in range(header + 1, len(rows)) if rows[i][0] == AREA)
    assert rows[area_row][1:14] == (4, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 9)
    assert usage.cell(row=area_row + 1, column=2).number_format == "#,##0"
    assert len(usage._charts) == 1 and usage._charts[0].tagname == "barChart"
    summary = list(wb["概要"].iter_rows(values_only=True))
    [area_summary] = [row for row in summary if row[0] == AREA]
    assert area_summary[1:5] == (9, 37, 1, 0) and area_summary[5] == pytest.approx(0.8)
    incidents = wb["障害"]
    [inc] = [row for row in incidents.iter_rows(values_only=True) if row[0] == f"INC-{year['old'].number:06d}"]
    assert inc[1] == AREA and inc[6] == dt.datetime(2019, 6, 10, 10, 0)  # detected, in Japan time
    assert inc[9] == round((year["db_now"] - at(2019, 6, 10)).total_seconds() / 60, 1)
    assert (inc[13], inc[14]) == ("ディスク障害", "ディスクの冗長化")
    per_month = [row[:14] for row in incidents.iter_rows(values_only=True) if row[0] == "障害件数 / Incidents"]
    assert per_month == [("障害件数 / Incidents", 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)]


async def test_the_cli_writes_the_report(year, tmp_path):
    from tests.support.services import govstat_cli

    out = tmp_path / "report.xlsx"
    done = await asyncio.to_thread(govstat_cli, "ops", "report", "--fy", str(FY), "--out", str(out))
    assert f"annual FY{FY}" in done.stdout
    rows = list(openpyxl.load_workbook(out)["利用状況"].iter_rows(values_only=True))
    assert (AREA, 4, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 9) in [r[:14] for r in rows]
    mic_csv = tmp_path / "mic.csv"
    await asyncio.to_thread(govstat_cli, "ops", "report", "--kind", "mic", "--fy", str(FY), "--out", str(mic_csv))
    assert mic_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(RuntimeError, match=r"xlsx or \.csv"):
        await asyncio.to_thread(govstat_cli, "ops", "report", "--out", str(tmp_path / "report.pdf"))

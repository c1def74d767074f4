"""GOV-13: an issued report is a snapshot. More usage after issuing changes the live report, never the
issued one (JSON, CSV, XLSX); re-issuing adds the next version; the database refuses to change an
issued row; MIC reads issued reports, agencies do not. FY2021 is this file's own year."""

import datetime as dt
import io
import uuid

import openpyxl
import pytest

from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.seed import demo_password
from govstat.platform.security import Scope
from tests.support import factories as f

JST = dt.timezone(dt.timedelta(hours=9))
FY = 2021
API = "/api/ops/reports"
AREA = CATALOG.by_key("area").name_ja


async def usage(tenant_id, n: int, when: dt.datetime) -> None:
    consumer = UsageRollupConsumer()
    for i in range(n):
        await consumer.apply(
            new_event(
                UsagePayload(module="area", operation="area.search", principal_kind="agency", units=2),
                tenant_id,
                occurred_at=when + dt.timedelta(seconds=i),
            )
        )


def area_calls(body: dict) -> int:
    return next(s for s in body["report"]["subsystems"] if s["key"] == "area")["total"]["calls"]


async def test_an_issued_report_keeps_its_figures_and_reissuing_makes_a_new_version(client, app):
    tenant = await f.make_tenant()
    await usage(tenant.id, 5, dt.datetime(2021, 6, 1, 9, 0, tzinfo=JST))
    h = f.csrf_headers(await f.operator_client_csrf(client))
    meeting = (
        await client.post(
            "/api/ops/governance/liaison/meetings",
            headers=h,
            json={
                "title": "令和3年度 担当者会議",
                "held_at": "2022-05-20T14:00:00+09:00",
                "agenda": [{"kind": "annual_report", "title": "令和3年度 利用状況及び障害対応の報告"}],
            },
        )
    ).json()
    mark = await f.outbox_mark()
    r = await client.post(
        f"{API}/annual/issue",
        headers=h,
        json={"fiscal_year": FY, "liaison_meeting_id": meeting["id"], "note": "第1回担当者会議資料"},
    )
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["kind"], first["fiscal_year"], first["version"]) == ("annual", FY, 1)
    assert first["liaison_meeting_id"] == meeting["id"] and first["issued_by_name"]
    [event] = await f.audit_events(mark, prefix="report.issued")
    assert event.target_id == first["id"] and event.detail["version"] == 1

    await usage(tenant.id, 3, dt.datetime(2021, 7, 1, 9, 0, tzinfo=JST))  # more usage arrives later
    live = (await client.get(f"{API}/annual?fy={FY}")).json()
    issued = (await client.get(f"{API}/issued/{first['id']}")).json()
    assert area_calls(live) == 8 and area_calls(issued) == 5
    assert issued["issue"]["version"] == 1 and issued["report"]["generated_at"] < live["report"]["generated_at"]
    xlsx = await client.get(f"{API}/issued/{first['id']}/xlsx")
    assert xlsx.status_code == 200 and f"govstat-annual-fy{FY}-v1.xlsx" in xlsx.headers["content-disposition"]
    [row] = [
        r for r in openpyxl.load_workbook(io.BytesIO(xlsx.content))["概要"].iter_rows(values_only=True) if r[0] == AREA
    ]
    assert row[1] == 5
    csv_ = await client.get(f"{API}/issued/{first['id']}/csv")
    assert csv_.content.startswith(b"\xef\xbb\xbf") and "第1版" in csv_.content.decode("utf-8-sig")
    page = await client.get(f"/ops/reports/issued/{first['id']}")
    assert page.status_code == 200 and 'id="issued" data-version="1"' in page.text

    second = (await client.post(f"{API}/annual/issue", headers=h, json={"fiscal_year": FY})).json()
    assert second["version"] == 2 and second["liaison_meeting_id"] is None
    assert area_calls((await client.get(f"{API}/issued/{second['id']}")).json()) == 8
    assert area_calls((await client.get(f"{API}/issued/{first['id']}")).json()) == 5
    listed = (await client.get(f"{API}/issued?kind=annual&fy={FY}")).json()
    assert [i["version"] for i in listed] == [2, 1] and "figures" not in listed[0]

    # linked to its meeting once; the figures can never be changed, nor the row removed
    linked = await client.post(
        f"{API}/issued/{second['id']}/meeting", headers=h, json={"liaison_meeting_id": meeting["id"]}
    )
    assert linked.status_code == 200 and linked.json()["liaison_meeting_id"] == meeting["id"]
    again = await client.post(
        f"{API}/issued/{first['id']}/meeting", headers=h, json={"liaison_meeting_id": meeting["id"]}
    )
    assert again.status_code == 409
    for sql in ("UPDATE report_issue SET figures = '{}' WHERE id = $1", "DELETE FROM report_issue WHERE id = $1"):
        with pytest.raises(Conflict):
            async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
                await uow.execute(sql, uuid.UUID(first["id"]))
    assert area_calls((await client.get(f"{API}/issued/{first['id']}")).json()) == 5

    mic_report = await client.post(
        f"{API}/mic/issue", headers=h, json={"fiscal_year": FY, "liaison_meeting_id": meeting["id"]}
    )
    assert mic_report.status_code == 422  # the MIC report goes to MIC, not to the meeting

    async with f.another_client(app) as mic:
        await f.sign_in(mic, "mic-oversight", demo_password("mic-oversight"))
        seen = await mic.get(f"{API}/issued/{first['id']}")
        assert seen.status_code == 200 and area_calls(seen.json()) == 5
        assert (await mic.get(f"{API}/issued?fy={FY}")).status_code == 200
        assert (
            await mic.post(
                f"{API}/annual/issue",
                headers=f.csrf_headers((await mic.get("/api/me")).json()["csrf"]),
                json={"fiscal_year": FY},
            )
        ).status_code == 403
    async with f.another_client(app) as agency:
        await f.sign_in(agency, tenant.admin_login)
        assert (await agency.get(f"{API}/issued/{first['id']}")).status_code == 403

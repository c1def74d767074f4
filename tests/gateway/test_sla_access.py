"""PLAT-1/GOV-17: agencies see only their own tenant's SLA figures (API, page, database);
the operator sees every tenant and the platform-wide rows, and the status for dashboards."""

import datetime as dt

import pytest

from govstat.gateway.sla.consumers import SlaConsumer
from govstat.gateway.sla.figures import JST
from govstat.gateway.sla.status import build_status
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support.factories import PASSWORD, make_tenant, operator_client_csrf, sign_in

PERIOD = "2025-03"
AT = dt.datetime(2025, 3, 15, 10, 0, tzinfo=JST)


async def _feed(tenant_id, statuses: list[int], source: str = "request") -> None:
    consumer = SlaConsumer()
    for i, status in enumerate(statuses):
        await consumer.apply(
            new_event(
                UsagePayload(
                    module="area",
                    operation="area.search",
                    principal_kind="agency",
                    status=status,
                    latency_ms=30.0 + i,
                    source=source,
                ),
                tenant_id,
                occurred_at=AT + dt.timedelta(minutes=i),
            )
        )


async def sign_in_as(client, login: str, password: str = PASSWORD) -> None:
    client.cookies.clear()  # a fresh session for the other person
    await sign_in(client, login, password)


@pytest.fixture(scope="module")
async def tenants():
    a, b = await make_tenant(), await make_tenant()
    await _feed(a.id, [200] * 19 + [503])  # a: 95 %
    await _feed(b.id, [503] * 7)  # b: 0 %
    await _feed(None, [200] * 4 + [599], source="probe")  # platform-wide: probes
    return a, b


async def test_agency_staff_see_only_their_own_tenant(client, tenants):
    a, b = tenants
    await sign_in_as(client, a.staff_login)
    r = await client.get("/api/sla/report", params={"period": PERIOD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "tenant" and body["tenant_id"] == str(a.id)
    [area] = [m for m in body["modules"] if m["module"] == "area"]
    assert (area["total"]["calls"], area["total"]["errors"], area["total"]["availability"]) == (20, 1, 95.0)
    assert area["probes"]["calls"] == 0  # platform-wide rows are the operator's
    assert [t["tenant_id"] for t in body["tenants"]] == [str(a.id)]
    assert str(b.id) not in r.text and b.code not in r.text

    page = await client.get("/sla", params={"period": PERIOD})
    assert page.status_code == 200 and "95.000%" in page.text and f"テスト省{a.code}" in page.text
    assert b.code not in page.text and str(b.id) not in page.text and "<svg" in page.text

    assert (await client.get("/api/sla/status")).status_code == 403  # dashboards are the operator's


async def test_row_level_security_hides_other_tenants_rows_in_the_database(tenants):
    a, _b = tenants
    async with UnitOfWork(Scope.tenant(a.id)) as uow:
        keys = {r["tenant_key"] for r in await uow.fetch("SELECT DISTINCT tenant_key FROM sla_minute")}
    assert keys == {a.id}


async def test_operator_sees_every_tenant_and_the_platform_rows(client, tenants):
    a, b = tenants
    await sign_in_as(client, "operator", "operator-demo-2026!")
    body = (await client.get("/api/sla/report", params={"period": PERIOD, "module": "area"})).json()
    [area] = body["modules"]
    assert body["scope"] == "platform"
    assert (area["total"]["calls"], area["total"]["errors"]) == (20 + 7 + 5, 1 + 7 + 1)
    assert (area["requests"]["calls"], area["probes"]["calls"], area["probes"]["errors"]) == (27, 5, 1)
    rows = {t["tenant_id"]: t["figures"] for t in body["tenants"]}
    assert rows[str(a.id)]["availability"] == 95.0 and rows[str(b.id)]["availability"] == 0.0
    assert rows[None]["calls"] == 5
    page = await client.get("/sla", params={"period": PERIOD})
    assert page.status_code == 200 and a.code in page.text and b.code in page.text


async def test_status_for_the_ops_dashboards(client, tenants):
    client.cookies.clear()
    await operator_client_csrf(client)
    r = await client.get("/api/sla/status")
    assert r.status_code == 200
    [area] = [m for m in r.json()["modules"] if m["module"] == "area"]
    assert set(area["burn"]) == {"5m", "30m", "1h", "6h"} and "error_budget_left" in area
    # As of the end of March 2025 the 30-day window holds exactly the calls fed above.
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        status = await build_status(uow, CATALOG, at=dt.datetime(2025, 4, 1, tzinfo=JST))
    [s] = [m for m in status.modules if m.module == "area"]
    assert (s.calls, s.errors) == (32, 9) and s.availability == pytest.approx(100 * 23 / 32)
    assert s.error_budget_left == pytest.approx(1 - 9 / (0.001 * 32)) and s.alert is None


async def test_anonymous_and_bad_input(client):
    client.cookies.clear()
    assert (await client.get("/api/sla/report")).status_code == 401
    await sign_in_as(client, "operator", "operator-demo-2026!")
    r = await client.get("/api/sla/report", params={"period": "2025-13"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"
    assert (await client.get("/api/sla/report", params={"module": "Robert'); DROP"})).status_code == 422
    page = await client.get("/sla", params={"period": "bad"})
    assert page.status_code == 422 and "YYYY-MM" in page.text

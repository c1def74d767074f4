"""GOV-9/GOV-12/GOV-17: a scripted outage pages once (one alert, one incident), resolves when the
service is healthy again, and the monthly report's availability is the figure computed by hand."""

import datetime as dt

import pytest

from govstat.gateway.sla.alerts import evaluate
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.gateway.sla.figures import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, decode, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support.factories import make_tenant, operator_client_csrf
from tests.support.services import govstat_cli

N = 10  # calls per scripted minute
HEALTHY = [200] * 9 + [404]  # a caller's 404 is not unavailability
OUTAGE = [503] * N  # 100 % server errors
SYSTEM = Scope.system("test-sla")


def minute(t: dt.datetime) -> dt.datetime:
    return t.replace(second=0, microsecond=0)


async def feed(consumer: SlaConsumer, module: str, minutes, statuses, tenant_id) -> None:
    for m in minutes:
        for i, status in enumerate(statuses):
            event = new_event(
                UsagePayload(
                    module=module, operation=f"{module}.search", principal_kind="agency", status=status, latency_ms=40.0
                ),
                tenant_id,
                occurred_at=m + dt.timedelta(seconds=i),
            )
            assert await consumer.apply(event)


async def reset(module: str) -> dt.datetime:
    """A clean slate for the module's SLA rows; returns the database clock (outbox rows after it are ours)."""
    async with UnitOfWork(SYSTEM) as uow:
        await uow.execute("DELETE FROM sla_minute WHERE module_key = $1", module)
        await uow.execute("DELETE FROM sla_alert WHERE module_key = $1", module)
        return await uow.fetchval("SELECT clock_timestamp()")


async def alerts(module: str) -> list[dict]:
    async with UnitOfWork(SYSTEM) as uow:
        return [dict(r) for r in await uow.fetch("SELECT * FROM sla_alert WHERE module_key = $1", module)]


async def incidents(module: str, since: dt.datetime) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch(
            "SELECT payload FROM outbox WHERE kind = 'incident' AND created_at >= $1 ORDER BY seq", since
        )
    return [p for p in (decode(bytes(r["payload"])).payload for r in rows) if p.module == module]


def by_module(results) -> dict:
    return {r.module: r for r in results}


async def test_scripted_outage_pages_once_then_resolves_and_the_report_adds_up(client):
    since = await reset("area")
    tenant = await make_tenant(modules=("area",))
    consumer = SlaConsumer()
    now = minute(dt.datetime.now(dt.UTC))
    end = now - dt.timedelta(minutes=30)  # the outage ended 30 minutes ago
    healthy = [end - dt.timedelta(minutes=70 - i) for i in range(60)]  # 70..11 minutes before its end
    outage = [end - dt.timedelta(minutes=10 - i) for i in range(10)]  # its last 10 minutes
    await feed(consumer, "area", healthy, HEALTHY, tenant.id)
    await feed(consumer, "area", outage, OUTAGE, tenant.id)

    # As of the end of the outage: both rules fire; the alert carries the most severe one.
    area = by_module(await evaluate(CATALOG, at=end))["area"]
    assert (area.action, area.rule) == ("started", "1h/5m")
    assert area.burn["5m"] == pytest.approx(1000)  # all bad / 0.1 % allowed
    assert area.burn["1h"] == pytest.approx((10 / 60) / 0.001, rel=1e-4)
    assert area.burn["30m"] == pytest.approx((10 / 30) / 0.001, rel=1e-4)
    [alert] = await alerts("area")
    assert alert["rule"] == "1h/5m" and alert["severity"] == "critical" and alert["resolved_at"] is None
    assert alert["started_at"] == end and alert["burn_5m"] == pytest.approx(1000)
    [incident] = await incidents("area", since)
    assert incident.state == "detected" and incident.incident_id == str(alert["id"])
    assert incident.severity == "critical" and "エラー予算" in incident.title and "error budget" in incident.title
    assert incident.detail["rule"] == "1h/5m" and incident.detail["burn_rates"]["5m"] == pytest.approx(1000)

    # Evaluated again (the same minute, the next): still active, never a second incident.
    for at in (end, end + dt.timedelta(minutes=1)):
        assert by_module(await evaluate(CATALOG, at=at))["area"].action == "active"
    assert len(await alerts("area")) == 1 and len(await incidents("area", since)) == 1

    # Healthy minutes from the end of the outage up to now: with the real clock it resolves.
    after = [end + dt.timedelta(minutes=i) for i in range(31)]
    await feed(consumer, "area", after, HEALTHY, tenant.id)
    area = by_module(await evaluate(CATALOG))["area"]
    assert (area.action, area.rule) == ("resolved", None)
    [alert] = await alerts("area")
    assert alert["resolved_at"] is not None
    states = await incidents("area", since)
    assert [i.state for i in states] == ["detected", "monitoring"]
    assert (
        states[1].incident_id == states[0].incident_id and "回復" in states[1].title and "recovered" in states[1].title
    )
    assert by_module(await evaluate(CATALOG))["area"].action == "none" and len(await incidents("area", since)) == 2

    # The month's availability, by hand: good calls / all calls of the scripted minutes in that month.
    period = end.astimezone(JST).strftime("%Y-%m")
    scripted = [(m, True) for m in healthy + after] + [(m, False) for m in outage]
    mine = [(m, good) for m, good in scripted if m.astimezone(JST).strftime("%Y-%m") == period]
    total, bad = N * len(mine), N * sum(1 for _, good in mine if not good)
    expected = 100 * (total - bad) / total
    if len(mine) == len(scripted):  # not straddling a month end
        assert (total, bad, round(expected, 3)) == (1010, 100, 90.099)  # 91 good minutes of 101
    await operator_client_csrf(client)
    r = await client.get("/api/sla/report", params={"period": period, "module": "area"})
    assert r.status_code == 200, r.text
    [m] = r.json()["modules"]
    assert (m["total"]["calls"], m["total"]["errors"]) == (total, bad)
    assert round(m["total"]["availability"], 3) == round(expected, 3)
    assert m["total"]["availability_met"] is False and m["total"]["error_budget_left"] < 0
    assert [(a["rule"], a["resolved_at"] is not None) for a in m["alerts"]] == [("1h/5m", True)]
    [row] = [t for t in r.json()["tenants"] if t["tenant_id"] == str(tenant.id)]
    assert row["figures"]["calls"] == total and round(row["figures"]["availability"], 3) == round(expected, 3)
    outage_day = outage[0].astimezone(JST).date().isoformat()
    assert sum(d["errors"] for d in m["days"] if d["day"] == outage_day) == N * len(
        [o for o in outage if o.astimezone(JST).date().isoformat() == outage_day]
    )

    # The same figures from the command line.
    out = govstat_cli("sla", "report", "--period", period, "--module", "area").stdout
    assert f"{expected:.3f}%" in out and str(total) in out
    evaluated = govstat_cli("sla", "evaluate").stdout
    assert "area" in evaluated and "none" in evaluated

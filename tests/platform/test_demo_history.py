"""Issue 15 §6: the demo seed writes a year of usage, SLA figures and invoices (a small variant
here: one fresh tenant, fewer calls), deterministic from its seed."""

import datetime as dt
import random

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.seed_history import model_hours, plan_events, seed_history
from govstat.platform.security import Scope
from tests.support.factories import make_tenant, sign_in


def _year(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    first, last = dt.date(2025, 4, 1), dt.date(2026, 4, 1)
    ev = plan_events(rng, first, last, ["area", "estat"])
    return [
        (h.at, h.module, h.calls, h.errors)
        for h in model_hours(rng, {None: (20.0, ["area", "estat"])}, first, last, ev)
    ]


def test_the_year_is_drawn_from_the_seed():
    once, again, other = _year(7), _year(7), _year(8)
    assert once == again and once != other
    by_day: dict[dt.date, int] = {}
    for at, _, calls, _ in once:
        by_day[at.date()] = by_day.get(at.date(), 0) + calls
    weekdays = [n for d, n in by_day.items() if d.weekday() < 5]
    weekends = [n for d, n in by_day.items() if d.weekday() >= 5]
    assert sum(weekdays) / len(weekdays) > 3 * sum(weekends) / len(weekends)  # weekly rhythm
    assert max(by_day.values()) > 3 * sorted(weekdays)[len(weekdays) // 2]  # the release day stands out


async def test_billing_sla_and_ops_open_with_a_year_of_figures(client):
    t = await make_tenant(modules=("area", "estat"))
    done = await seed_history(seed=11, months=12, only=[t.id], scale=0.4)
    assert done["calls"] > 10_000 and done["invoices"] == 13  # twelve past months and this one
    async with UnitOfWork(Scope.system()) as uow:
        periods = await uow.fetch(
            "SELECT period, status, total_yen FROM invoice WHERE tenant_id = $1 ORDER BY period", t.id
        )
    assert [r["status"] for r in periods[:11]] == ["final"] * 11
    await sign_in(client, t.admin_login)
    r = await client.get("/billing")
    assert r.status_code == 200 and all(p["period"] in r.text for p in periods)
    today = dt.datetime.now(JST).date()
    year_ago = dt.date(today.year - 1, today.month, 1).strftime("%Y-%m")
    report = (await client.get("/api/sla/report", params={"period": year_ago, "module": "area"})).json()
    area = report["modules"][0]["total"]
    assert area["calls"] > 300 and 95 < area["availability"] < 100 and area["p95_ms"] > 0
    usage = (await client.get("/api/ops/usage", params={"minutes": 1440})).json()
    assert usage["totals"]["calls"] > 0 and set(usage["series"]) >= {"area"}

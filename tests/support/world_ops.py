"""Tenant A's records in operations and billing: a helpdesk ticket, an improvement request, a
briefing request and a seat at a briefing session, an answer to the operation plan survey, the
notice of an incident, and an invoice with an extra charge. The operator's own objects they hang
on (the incident, the session, the survey) are made here too, without the marker: they are not A's."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from govstat.ops.incidents import transitions
from govstat.ops.incidents.schemas import TransitionIn
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support.billing_factories import activate_since, jst, run
from tests.support.factories import OPERATOR, another_client, csrf_headers, operator_client_csrf, sign_in


def _iso(**delta) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(**delta)).isoformat()


async def _ok(r, status: int = 201) -> dict:
    assert r.status_code == status, (r.request.url, r.text)
    return r.json()


async def _fetchval(sql: str, *args):
    async with UnitOfWork(Scope.system("walker")) as uow:
        return await uow.fetchval(sql, *args)


async def build(world, app) -> None:
    m, a = world.marker, world.a
    # One plan survey a year (UNIQUE): a year of our own that no earlier world in this database took.
    taken = {r for r in await _fetchval("SELECT coalesce(array_agg(fiscal_year), '{}') FROM plan_survey")}
    fy = random.choice([y for y in range(2050, 2101) if y not in taken])  # tests name 2020-2039 themselves
    async with another_client(app) as op, another_client(app) as ca:
        oh = csrf_headers(await operator_client_csrf(op))
        ah = csrf_headers(await sign_in(ca, a.admin_login))

        t = await _ok(
            await ca.post(
                "/api/ops/helpdesk/requests",
                headers=ah,
                json={"module_key": "statdb", "subject": f"問合せ {m}", "body": f"非公開の質問 {m}"},
            )
        )
        world.own("ticket", t["id"])
        req = await _ok(
            await ca.post(
                "/api/ops/governance/requests",
                headers=ah,
                json={
                    "kind": "improvement",
                    "module_key": "tables",
                    "title": f"改善要望 {m}",
                    "body": f"要望の内容 {m}",
                },
            )
        )
        world.own("agency_request", req["id"])
        breq = await _ok(
            await ca.post(
                "/api/ops/governance/briefings/requests",
                headers=ah,
                json={"module_key": "tables", "topic": f"説明会の要請 {m}", "note": f"備考 {m}"},
            )
        )
        world.own("briefing_request", breq["id"])

        briefing = await _ok(
            await op.post(
                "/api/ops/governance/briefings",
                headers=oh,
                json={"kind": "other", "fiscal_year": fy, "module_key": "tables", "title": "統計表管理システム説明会"},
            )
        )
        session = await _ok(
            await op.post(
                f"/api/ops/governance/briefings/{briefing['id']}/sessions",
                headers=oh,
                json={
                    "starts_at": _iso(days=30),
                    "ends_at": _iso(days=30, hours=2),
                    "place": "統計センター",
                    "capacity": 50,
                },
            )
        )
        world.extra.update(briefing_id=briefing["id"], session_id=session["id"])
        seat = await _ok(
            await ca.post(f"/api/ops/governance/briefings/sessions/{session['id']}/registrations", headers=ah, json={})
        )
        world.own("registration", seat["id"])

        survey = await _ok(
            await op.post(
                "/api/ops/plans/surveys",
                headers=oh,
                json={"fiscal_year": fy, "title": f"{fy}年度 利用予定等の照会", "deadline": _iso(days=14)},
            )
        )
        world.extra["plan_survey_id"] = survey["id"]
        await _ok(
            await ca.put(
                f"/api/ops/plans/surveys/{survey['id']}/response",
                headers=ah,
                json={
                    "uses": [{"module_key": "statdb", "level": "high", "calls_per_month": 1234}],
                    "comments": f"所見 {m}",
                },
            ),
            200,
        )
        world.own("plan_response", await _fetchval("SELECT id FROM plan_response WHERE tenant_id = $1", a.id))

        inc = await _ok(
            await op.post(
                "/api/ops/incidents",
                headers=oh,
                json={
                    "module_key": "metadata",
                    "severity": "minor",
                    "title": "メタデータ登録の遅延 / metadata registry slow",
                },
            )
        )
        world.extra["incident_id"] = inc["id"]
        world.own(
            "notice",
            await _fetchval(
                "SELECT id FROM notice WHERE tenant_id = $1 AND incident_id = $2", a.id, uuid.UUID(inc["id"])
            ),
        )
        async with UnitOfWork(OPERATOR) as uow:  # recovered at once: no open incident for later tests
            for to in ("investigating", "monitoring", "recovered"):
                await transitions.transition(uow, CATALOG, uuid.UUID(inc["id"]), TransitionIn(to=to))

        await _ok(
            await op.post(
                f"/api/billing/tenants/{a.id}/extra-charges",
                headers=oh,
                json={
                    "kind": "other",
                    "description": f"個別改修 {m}",
                    "amount_yen": 12345,
                    "occurred_on": "2026-10-15",
                    "source_ref": f"walker-{m}",
                },
            )
        )
    await activate_since(a.id)
    await run("2026-10", jst(2026, 11, 2, 2, 0), a)
    world.own("invoice", await _fetchval("SELECT id FROM invoice WHERE tenant_id = $1", a.id))

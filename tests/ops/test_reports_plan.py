"""GOV-14: the survey of every active agency before the year, answered by each agency's administrators
(their own answer only), who has not answered, and the operation plan drawn from the answers."""

import asyncio
import datetime as dt
import io
import uuid

import openpyxl

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support import factories as f

API = "/api/ops/plans"
AREA = CATALOG.by_key("area").name_ja


def later(**kw) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(**kw)).isoformat()


async def open_survey(client, h, fy: int, **deadline) -> dict:
    r = await client.post(
        f"{API}/surveys",
        headers=h,
        json={
            "fiscal_year": fy,
            "title": f"{fy}年度 利用予定等の照会",
            "message": "6月末までに回答してください",
            "deadline": later(**(deadline or {"days": 14})),
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


async def answer(app, tenant, survey_id, body: dict, *, login: str | None = None):
    async with f.another_client(app) as c:
        csrf = await f.sign_in(c, login or tenant.admin_login)
        return await c.put(f"{API}/surveys/{survey_id}/response", headers=f.csrf_headers(csrf), json=body)


A_ANSWER = {
    "uses": [
        {
            "module_key": "area",
            "level": "high",
            "calls_per_month": 1000,
            "peak_calls_per_month": 3000,
            "heavy_months": [6, 7],
        },
        {"module_key": "classification", "level": "low", "calls_per_month": 50},
        {"module_key": "tables", "level": "medium"},
    ],
    "briefings": [
        {"module_key": "area", "preferred_month": 6, "participants": 30},
        {"module_key": "classification", "preferred_month": 10, "participants": 20},
    ],
    "comments": "繁忙期は6月と7月です",
}
B_ANSWER = {
    "uses": [
        {"module_key": "area", "level": "medium", "calls_per_month": 200, "heavy_months": [7, 1]},
        {"module_key": "classification", "level": "none"},
    ],
    "briefings": [
        {"module_key": "area", "preferred_month": 6, "participants": 40},
        {"module_key": "statdb", "preferred_month": 1, "participants": 5},
    ],
}


async def test_two_answer_one_does_not_and_the_plan_sums_the_answers(client, app):
    a, b, c = (await f.make_tenant(), await f.make_tenant(), await f.make_tenant())
    h = f.csrf_headers(await f.operator_client_csrf(client))
    survey = await open_survey(client, h, 2030)
    async with UnitOfWork(Scope.system()) as uow:
        active = await uow.fetchval("SELECT count(*) FROM tenant WHERE status = 'active' AND kind <> 'operator'")
    assert survey["asked"] == active >= 3
    sid = survey["id"]

    first = await answer(app, a, sid, A_ANSWER)
    assert first.status_code == 200, first.text
    assert first.json()["revision"] == 1 and next(u["heavy_months"] for u in first.json()["uses"]) == [6, 7]
    assert (await answer(app, b, sid, B_ANSWER)).status_code == 200

    status = (await client.get(f"{API}/surveys/{sid}")).json()
    assert {x["tenant_id"] for x in status["answered"]} >= {str(a.id), str(b.id)}
    missing = {x["tenant_id"]: x for x in (await client.get(f"{API}/surveys/{sid}/missing")).json()}
    assert str(c.id) in missing and str(a.id) not in missing and str(b.id) not in missing
    assert missing[str(c.id)]["contact_email"] == f"p@{c.code}.example.jp"  # whom to chase
    assert len(status["answered"]) == 2 and status["asked"] == active

    r = await client.get(f"{API}/plan?fy=2030")
    assert r.status_code == 200, r.text
    plan = r.json()["report"]
    assert plan["months"][0] == "2030-04" and plan["months"][-1] == "2031-03"
    loads = {x["key"]: x for x in plan["loads"]}
    #                                 Apr   May   Jun   Jul   Aug   Sep   Oct   Nov   Dec   Jan   Feb   Mar
    assert loads["area"]["monthly_calls"] == [1200, 1200, 3200, 3200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200]
    assert loads["area"]["total_calls"] == 18400
    assert loads["area"]["heavy_tenants"] == [0, 0, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0]
    assert (loads["area"]["tenants_planning"], loads["area"]["levels"]) == (2, {"high": 1, "medium": 1})
    assert loads["classification"]["monthly_calls"] == [50] * 12 and loads["classification"]["tenants_planning"] == 1
    assert loads["tables"]["monthly_calls"] == [0] * 12 and loads["tables"]["without_figures"] == 1
    sessions = {(s["key"], s["month"]): s for s in plan["briefings"]}
    assert (
        sessions[("area", "2030-06")]["requests"],
        sessions[("area", "2030-06")]["participants"],
        sessions[("area", "2030-06")]["sessions"],
    ) == (2, 70, 2)  # 70 people, 50 a session
    assert sessions[("statdb", "2031-01")]["participants"] == 5
    assert sessions[("tables", None)]["sessions"] == 1  # the yearly briefing all the same
    assert plan["briefing_requests_per_month"] == [0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0, 0]
    assert plan["survey"]["answered"] == 2 and f"テスト省{c.code}" in plan["survey"]["missing"]
    assert [x["text"] for x in plan["comments"]] == ["繁忙期は6月と7月です"]
    smaller = (await client.get(f"{API}/plan?fy=2030&capacity=100")).json()["report"]
    assert next(s for s in smaller["briefings"] if s["key"] == "area" and s["month"])["sessions"] == 1

    xlsx = openpyxl.load_workbook(io.BytesIO((await client.get(f"{API}/plan.xlsx?fy=2030")).content))
    assert xlsx.sheetnames == ["概要", "利用見込み", "説明会", "意見"]
    [row] = [r for r in xlsx["利用見込み"].iter_rows(values_only=True) if r[0] == AREA and r[1] == 1200]
    assert row[1:14] == (1200, 1200, 3200, 3200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 18400)
    assert len(xlsx["利用見込み"]._charts) == 1
    csv_ = await client.get(f"{API}/plan.csv?fy=2030")
    assert csv_.content.startswith(b"\xef\xbb\xbf") and f"{AREA},1200,1200,3200" in csv_.content.decode("utf-8-sig")
    page = await client.get("/ops/plans?fy=2030")
    assert page.status_code == 200 and f"テスト省{c.code}" in page.text.split('id="missing"')[1].split("</ul>")[0]

    # issued with the liaison meeting where it is presented; later answers do not change it
    meeting = (
        await client.post(
            "/api/ops/governance/liaison/meetings",
            headers=h,
            json={
                "title": "担当者会議",
                "held_at": later(days=30),
                "agenda": [{"kind": "annual_plan", "title": "運用管理計画"}],
            },
        )
    ).json()
    issued = await client.post(
        f"{API}/plan/issue", headers=h, json={"fiscal_year": 2030, "liaison_meeting_id": meeting["id"]}
    )
    assert issued.status_code == 201 and issued.json()["kind"] == "plan" and issued.json()["version"] == 1
    revised = await answer(
        app, a, sid, {**A_ANSWER, "uses": [{"module_key": "area", "level": "low", "calls_per_month": 10}]}
    )
    assert revised.json()["revision"] == 2 and len(revised.json()["uses"]) == 1
    live = (await client.get(f"{API}/plan?fy=2030")).json()["report"]
    kept = (await client.get(f"/api/ops/reports/issued/{issued.json()['id']}")).json()["report"]
    assert next(x for x in live["loads"] if x["key"] == "area")["monthly_calls"][0] == 210
    assert next(x for x in kept["loads"] if x["key"] == "area")["monthly_calls"][0] == 1200
    bigger = (await client.post(f"{API}/plan/issue?capacity=100", headers=h, json={"fiscal_year": 2030})).json()
    assert bigger["version"] == 2
    kept2 = (await client.get(f"/api/ops/reports/issued/{bigger['id']}")).json()["report"]
    assert (
        kept2["session_capacity"] == 100
        and next(x for x in kept2["loads"] if x["key"] == "area")["monthly_calls"][0] == 210
    )


async def test_an_agency_reaches_only_its_own_answer(client, app):
    a, b = await f.make_tenant(), await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    sid = (await open_survey(client, h, 2032))["id"]
    a_id = (await answer(app, a, sid, A_ANSWER)).json()["id"]
    b_id = (await answer(app, b, sid, B_ANSWER)).json()["id"]

    async with f.another_client(app) as c:
        await f.sign_in(c, b.admin_login)
        assert (await c.get(f"{API}/responses/{a_id}")).status_code == 404  # another agency's: not found
        mine = await c.get(f"{API}/responses/{b_id}")
        assert mine.status_code == 200 and mine.json()["tenant_id"] == str(b.id)
        assert (await c.get(f"{API}/surveys/{sid}/response")).json()["id"] == b_id
        listed = (await c.get(f"{API}/surveys")).json()
        assert [s["response_id"] for s in listed if s["id"] == sid] == [b_id]
        for path in (f"{API}/surveys/{sid}/responses", f"{API}/surveys/{sid}/missing", f"{API}/plan?fy=2032"):
            assert (await c.get(path)).status_code == 403
    assert (await client.get(f"{API}/responses/{a_id}")).status_code == 200  # the operator reads every answer
    assert len((await client.get(f"{API}/surveys/{sid}/responses")).json()) == 2
    assert (await answer(app, a, sid, A_ANSWER, login=a.staff_login)).status_code == 403  # administrators answer

    # row-level security as the backstop: in b's scope, a's rows do not exist
    async with UnitOfWork(Scope.tenant(b.id)) as uow:
        assert {r["tenant_id"] for r in await uow.fetch("SELECT tenant_id FROM plan_response_use")} == {b.id}
        assert await uow.fetch("SELECT 1 FROM plan_response WHERE id = $1", uuid.UUID(a_id)) == []
        assert await uow.fetch("SELECT 1 FROM plan_response_briefing WHERE tenant_id = $1", a.id) == []

    late = await f.make_tenant()  # activated after the survey opened: not asked yet
    assert (await answer(app, late, sid, B_ANSWER)).status_code == 404
    added = await client.post(f"{API}/surveys/{sid}/targets", headers=h)
    assert added.status_code == 200 and added.json()["added"] >= 1
    assert (await answer(app, late, sid, B_ANSWER)).status_code == 200

    bad = [
        {"uses": [{"module_key": "nosuch", "level": "low"}]},
        {"uses": [{"module_key": "area", "level": "low"}, {"module_key": "area", "level": "high"}]},
        {"uses": [{"module_key": "area", "level": "high", "peak_calls_per_month": 5}]},
        {"briefings": [{"module_key": "area", "preferred_month": 13, "participants": 3}]},
    ]
    for body in bad:
        assert (await answer(app, a, sid, body)).status_code in (400, 422), body


async def test_deadline_uniqueness_and_past_years(client, app):
    a = await f.make_tenant()
    h = f.csrf_headers(await f.operator_client_csrf(client))
    sid = (await open_survey(client, h, 2031, seconds=2))["id"]
    assert (
        await client.post(
            f"{API}/surveys", headers=h, json={"fiscal_year": 2031, "title": "二度目", "deadline": later(days=1)}
        )
    ).status_code == 409
    assert (
        await client.post(
            f"{API}/surveys", headers=h, json={"fiscal_year": 2020, "title": "過去", "deadline": later(days=1)}
        )
    ).status_code == 422
    await asyncio.sleep(2.2)
    assert (await answer(app, a, sid, B_ANSWER)).status_code == 409  # past the deadline
    moved = await client.post(f"{API}/surveys/{sid}/deadline", headers=h, json={"deadline": later(days=3)})
    assert moved.status_code == 200
    assert (await answer(app, a, sid, B_ANSWER)).status_code == 200


async def test_an_administrator_answers_with_the_html_form(client, app):
    h = f.csrf_headers(await f.operator_client_csrf(client))
    sid = (await open_survey(client, h, 2033))["id"]
    tenant = await f.make_tenant()
    await client.post(f"{API}/surveys/{sid}/targets", headers=h)
    async with f.another_client(app) as c:
        csrf = await f.sign_in(c, tenant.admin_login)
        listed = await c.get("/ops/plans/surveys")
        assert listed.status_code == 200 and sid in listed.text and "未回答" in listed.text
        form = await c.get(f"/ops/plans/surveys/{sid}")
        assert form.status_code == 200 and 'name="level_area"' in form.text
        data = {
            "_csrf": csrf,
            "level_area": "high",
            "calls_area": "700",
            "peak_area": "900",
            "heavy_area": ["4", "5"],
            "level_statdb": "low",
            "b_module_0": "area",
            "b_month_0": "5",
            "b_participants_0": "12",
            "comments": "フォームから回答",
        }
        sent = await c.post(f"/ops/plans/surveys/{sid}", data=data)
        assert sent.status_code == 303, sent.text
        mine = (await c.get(f"{API}/surveys/{sid}/response")).json()
        assert {
            u["module_key"]: (u["calls_per_month"], u["peak_calls_per_month"], u["heavy_months"]) for u in mine["uses"]
        } == {"area": (700, 900, [4, 5]), "statdb": (None, None, [])}
        assert mine["briefings"][0]["participants"] == 12 and mine["comments"] == "フォームから回答"
        wrong = await c.post(f"/ops/plans/surveys/{sid}", data={**data, "heavy_area": [], "peak_area": "900"})
        assert wrong.status_code == 422 and 'role="alert"' in wrong.text
    plan = (await client.get(f"{API}/plan?fy=2033")).json()["report"]
    assert next(x for x in plan["loads"] if x["key"] == "area")["monthly_calls"][:3] == [900, 900, 700]

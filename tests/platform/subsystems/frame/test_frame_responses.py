"""FRAME-4 survey history: the operator records which units of a real draw responded; the unit's
ledger shows it; a unit the draw did not select, a unit in both lists and a test draw are refused."""

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import api_key, make_tenant, operator_client_csrf

SURVEY = {"name": "回答状況の試験調査", "period_from": "2024-04-01", "period_to": "2025-03-31",
          "population": {"areas": [], "industries": [], "min_employees": 50}, "sample_size": 6, "start_point": 0.61}  # fmt: skip


async def test_response_flags_of_a_draw(client):
    agency = await make_tenant(("frame",))
    r = await client.post("/api/frame/surveys", headers={"x-api-key": await api_key(agency.id)}, json=SURVEY)
    assert r.status_code == 201, r.text
    h = {"x-csrf-token": await operator_client_csrf(client)}
    url = f"/api/frame/surveys/{r.json()['id']}/draws"
    draw = (await client.post(url, headers=h, json={"reference_date": "2024-05-01", "cycle": "2024"})).json()
    trial = (await client.post(url, headers=h, json={"reference_date": "2024-05-01", "test": True})).json()
    async with UnitOfWork(Scope.system("test")) as uow:
        units = [r[0] for r in await uow.fetch("SELECT establishment_id FROM frame_burden WHERE draw_id = $1"
                                               " ORDER BY establishment_id", draw["id"])]  # fmt: skip
        outside = await uow.fetchval("SELECT max(id) FROM frame_establishment")
    assert len(units) == 6
    base = f"/api/frame/draws/{draw['id']}/responses"
    r = await client.post(base, headers=h, json={"responded": units[:4], "not_responded": units[4:5]})
    assert r.status_code == 200, r.text
    assert r.json() | {"draw_id": None} == {"draw_id": None, "responded": 4, "not_responded": 1, "unknown": 1}
    ledger = (await client.get(f"/api/frame/register/{units[0]}/burden", headers=h)).json()
    assert [b["responded"] for b in ledger if b["draw_id"] == draw["id"]] == [True]
    r = await client.post(base, headers=h, json={"responded": [units[5], outside]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "responded[1]"
    r = await client.post(base, headers=h, json={"responded": [units[5]], "not_responded": [units[5]]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "not_responded"
    r = await client.post(f"/api/frame/draws/{trial['id']}/responses", headers=h, json={"responded": units[:1]})
    assert r.status_code == 404  # a test draw has no survey history

"""FRAME-1/4 through the API: a planned survey, draws on the seeded register, the stored draw
specification redrawing the identical list, the burden cap enforced at selection with the units
skipped and why, test draws that never count as burden, the ledger and "why was I selected"."""

from tests.support.factories import api_key, make_tenant, operator_client_csrf

SURVEY = {
    "name": "小売業動態調査（試行）",
    "period_from": "2024-04-01",
    "period_to": "2025-03-31",
    "population": {"areas": [], "industries": [], "max_employees": 19},
    "sample_size": 150,
    "start_point": 0.25,
}


async def _survey(client, key, **changes):
    r = await client.post("/api/frame/surveys", headers={"x-api-key": key}, json={**SURVEY, **changes})
    assert r.status_code == 201, r.text
    return r.json()


async def test_draws_redraw_and_burden(client):
    agency = await make_tenant(("frame",))
    key = await api_key(agency.id)
    h = {"x-csrf-token": await operator_client_csrf(client)}
    rule = {"small_below": 20, "cap": 1, "years": 3}
    a = await _survey(client, key)
    # a test draw: stored, redrawable, never burden
    t = await client.post(f"/api/frame/surveys/{a['id']}/draws", headers=h,
                          json={"reference_date": "2024-05-01", "test": True, "burden": rule})  # fmt: skip
    assert t.status_code == 201, t.text
    first = await client.post(f"/api/frame/surveys/{a['id']}/draws", headers=h,
                              json={"reference_date": "2024-05-01", "burden": rule, "cycle": "2024"})  # fmt: skip
    first = first.json()
    assert first["sample_count"] == 150 and first["skipped_count"] == 0  # the test draw left no burden
    assert first["units_sha256"] == t.json()["units_sha256"]
    # the same survey again (a panel: same start point): every small unit is at its cap of 1, so the
    # whole previous sample is passed over, with the reason, and the next units in PRN order are taken
    second = (await client.post(f"/api/frame/surveys/{a['id']}/draws", headers=h,
                                json={"reference_date": "2024-05-01", "burden": rule, "cycle": "2024-2"})).json()  # fmt: skip
    assert second["sample_count"] == 150 and second["skipped_count"] == 150
    units = (await client.get(f"/api/frame/draws/{second['id']}/units", headers=h)).json()
    first_units = {
        u["establishment_id"] for u in (await client.get(f"/api/frame/draws/{first['id']}/units", headers=h)).json()
    }
    skipped = [u for u in units if not u["selected"]]
    assert {u["establishment_id"] for u in skipped} == first_units and "burden cap" in skipped[0]["reason"]
    assert not {u["establishment_id"] for u in units if u["selected"]} & first_units
    # redraws: identical lists, even after later draws added to the ledger
    for d in (first, second, t.json()):
        r = (await client.post(f"/api/frame/draws/{d['id']}/redraw", headers=h)).json()
        assert r["identical"] and r["units_sha256"] == d["units_sha256"], r
    # the ledger of one unit and the helpdesk's answer
    unit = next(iter(first_units))
    ledger = (await client.get(f"/api/frame/register/{unit}/burden", headers=h)).json()
    assert [e["cycle"] for e in ledger] == ["2024"] and ledger[0]["survey_name"] == SURVEY["name"]
    w = (await client.get(f"/api/frame/draws/{first['id']}/why/{unit}", headers=h)).json()
    assert w["selection"]["selected"] and w["selection"]["key"] <= w["cutoff_key"] and "恒久乱数" in w["explanation"]
    # the agency sees its draw's figures, not the units; another agency sees nothing
    assert (await client.get(f"/api/frame/draws/{first['id']}", headers={"x-api-key": key})).status_code == 200
    assert (await client.get(f"/api/frame/draws/{first['id']}/units", headers={"x-api-key": key})).status_code == 403
    other = await api_key((await make_tenant(("frame",))).id)
    assert (await client.get(f"/api/frame/draws/{first['id']}", headers={"x-api-key": other})).status_code == 404
    assert (await client.get(f"/api/frame/surveys/{a['id']}", headers={"x-api-key": other})).status_code == 404


async def test_negative_coordination_spreads_samples(client):
    key = await api_key((await make_tenant(("frame",))).id)
    h = {"x-csrf-token": await operator_client_csrf(client)}
    pop = {"areas": [], "industries": [], "min_employees": 20}
    a = await _survey(client, key, population=pop, sample_size=100, start_point=0.5)
    b = await _survey(client, key, population=pop, sample_size=100, start_point=0.5, direction=-1)
    sets = []
    for s in (a, b):
        d = (await client.post(f"/api/frame/surveys/{s['id']}/draws", headers=h,
                               json={"reference_date": "2024-05-01", "design": "srs", "test": True})).json()  # fmt: skip
        sets.append(
            {u["establishment_id"] for u in (await client.get(f"/api/frame/draws/{d['id']}/units", headers=h)).json()}
        )
    assert len(sets[0]) == len(sets[1]) == 100 and not sets[0] & sets[1]


async def test_survey_input_is_checked(client):
    key = await api_key((await make_tenant(("frame",))).id)
    r = await client.post("/api/frame/surveys", headers={"x-api-key": key}, json={**SURVEY, "period_to": "2023-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period_to"
    r = await client.post("/api/frame/surveys", headers={"x-api-key": key}, json={**SURVEY, "start_point": 1.5})
    assert r.status_code in (400, 422) and "start_point" in r.text

"""FRAME-5 / issue 11 §4: mergers and splits of establishments (合併・分割) with the written rules of
what a unit inherits: the largest unit of a merger continues with its id and PRN, the others end; a
split's continuing unit keeps its id and PRN, every part is born with a new PRN. Each is an event."""

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.frame.maintenance.units import survivor
from tests.support.factories import operator_client_csrf
from tests.support.outbox import decode, name_of

SYSTEM = Scope.system("test")
DAY = "2030-01-01"  # after today: the register as of today, which other tests read, stays as it was


def test_the_largest_unit_continues_a_merger_and_the_older_on_a_tie():
    assert survivor({7: 3, 9: 12, 4: 5}) == 9 and survivor({7: 5, 4: 5, 9: 1}) == 4


async def _prns(ids):
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch(
            "SELECT establishment_id, prn, origin FROM frame_prn WHERE establishment_id = ANY($1)", ids
        )
    return {r["establishment_id"]: (r["prn"], r["origin"]) for r in rows}


async def test_merger_and_split_follow_the_inheritance_rules(client):
    h = {"x-csrf-token": await operator_client_csrf(client)}
    since = dt.datetime.now(dt.UTC)
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT id, employees FROM frame_establishment WHERE valid_to IS NULL AND status = 'active'"
                               " AND valid_from < '2024-01-01' AND employees BETWEEN 1 AND 500"
                               " ORDER BY id LIMIT 2 OFFSET 700")  # fmt: skip
    (small, big) = sorted(rows, key=lambda r: (r["employees"], -r["id"]))
    before = await _prns([small["id"], big["id"]])

    r = await client.post("/api/frame/register/merge", headers=h,
                          json={"effective_on": DAY, "reason": "吸収合併の届出", "units": [small["id"], big["id"]]})  # fmt: skip
    assert r.status_code == 200, r.text
    merged = r.json()
    assert merged["continues"] == big["id"] and merged["ended"] == [small["id"]]
    assert merged["prn"] == before[big["id"]][0] and await _prns([small["id"], big["id"]]) == before  # no PRN moves
    kept = (await client.get(f"/api/frame/register/{big['id']}", headers=h)).json()[-1]
    assert kept["employees"] == small["employees"] + big["employees"] and kept["change_kind"] == "merger"
    gone = (await client.get(f"/api/frame/register/{small['id']}", headers=h)).json()
    assert gone[-1]["status"] == "closed" and gone[-1]["change_kind"] == "merged" and gone[-1]["valid_from"] == DAY
    assert gone[-2]["status"] == "active"  # as of the day before, as it was
    r = await client.post("/api/frame/register/merge", headers=h,
                          json={"effective_on": DAY, "reason": "x", "units": [small["id"], big["id"]]})  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "units"  # a closed unit merges no more

    part = {"name": "分割新設工場", "employees": 3, "area_code": "13101", "postal_code": "1000001"}
    r = await client.post(f"/api/frame/register/{big['id']}/split", headers=h,
                          json={"effective_on": "2030-07-01", "reason": "工場の分社", "employees": 10, "parts": [part]})  # fmt: skip
    assert r.status_code == 200, r.text
    split = r.json()
    assert split["continues"] == big["id"] and split["prn"] == before[big["id"]][0]
    [(new_id, prn)] = split["born"].items()
    assert 0 < prn < 1 and (await _prns([int(new_id)]))[int(new_id)] == (prn, f"split:{big['id']}")
    born = (await client.get(f"/api/frame/register/{new_id}", headers=h)).json()
    assert [(v["name"], v["area_code"], v["change_kind"], v["valid_from"]) for v in born] == [
        ("分割新設工場", "13101", "birth", "2030-07-01")
    ]
    assert (await client.get(f"/api/frame/register/{big['id']}", headers=h)).json()[-1]["employees"] == 10

    bad = {"effective_on": DAY, "reason": "x", "employees": 1, "parts": [{**part, "area_code": "99999"}]}
    r = await client.post(f"/api/frame/register/{big['id']}/split", headers=h, json=bad)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parts[0].area_code"
    r = await client.post("/api/frame/register/999999999/split", headers=h, json={**bad, "parts": [part]})
    assert r.status_code == 404
    r = await client.post(
        "/api/frame/register/merge", headers=h, json={"effective_on": DAY, "reason": "x", "units": [1]}
    )
    assert r.status_code in (400, 422) and "units" in r.text

    async with UnitOfWork(SYSTEM) as uow:
        payloads = [r["payload"] for r in await uow.fetch("SELECT payload FROM outbox WHERE created_at >= $1", since)]
    names = {name_of(decode(p).payload) for p in payloads}
    assert {"frame.units_merged", "frame.unit_split", "frame.register.merged", "frame.register.split"} <= names, names

"""FRAME-5 location upkeep, event-driven: the operator registers a gazette change in the area module;
its event goes through the outbox, the relay and Kafka to the frame's consumer, which moves the
register's establishments forward by the area history (a version with the succession as reason, a
maintenance run); a split is not guessed but held for review. The area module's `follow` is the one
rule all parts use (frame, enumerators, region)."""

import asyncio
import datetime as dt
import json

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.relay import run_relay
from govstat.platform.root.events import event_decoder
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.area.codes import with_check_digit
from govstat.platform.subsystems.frame import postal
from govstat.platform.subsystems.frame.maintenance.consumer import AreaChangeConsumer
from govstat.platform.subsystems.frame.maintenance.versions import birth
from tests.support.eventually import eventually
from tests.support.factories import operator_client_csrf

SYSTEM = Scope.system("test")
DAY = dt.date(2031, 4, 1)


def _s(old: str, new: str, day: dt.date, kind: str = "merger_absorb") -> area.Succession:
    return area.Succession(old_code=old, old_name=old, new_code=new, new_name=new, effective_on=day, kind=kind)


def test_follow_takes_whole_steps_and_stops_at_splits():
    d1, d2 = dt.date(2005, 4, 1), dt.date(2010, 1, 4)
    chain = [_s("23999", "23998", d2, "promotion"), _s("23997", "23999", d2, "rename"), _s("23001", "23997", d1)]
    went = area.follow("23001", sorted(chain, key=lambda s: s.effective_on))
    assert went.code == "23998" and [s.new_code for s in went.steps] == ["23997", "23999", "23998"]
    assert area.follow("23001", chain, since=d1).code == "23001"  # only what took effect after `since`
    split = [_s("19341", "19430", d1, "split"), _s("19341", "19201", d1)]
    went = area.follow("19341", split)
    assert went.code == "19341" and not went.moved and went.split == ["19201", "19430"]
    part = area.follow("01001", [_s("01001", "01002", d1, "split")])  # 分離: the old code lives on
    assert part.code == "01001" and part.split == ["01001", "01002"]


def _obj(value):
    return value if isinstance(value, dict) else json.loads(value)


async def _empty_codes(uow: UnitOfWork) -> list[str]:
    valid = await area.valid_on(uow, DAY)
    used = {r[0] for r in await uow.fetch("SELECT DISTINCT area_code FROM frame_establishment")}
    towns = postal.codes_by_municipality()
    return sorted(c for c, a in valid.items() if a.level in ("town", "village") and c not in used and towns.get(c))


async def test_area_change_moves_establishments_through_kafka(client):
    h = {"x-csrf-token": await operator_client_csrf(client)}
    async with UnitOfWork(SYSTEM) as uow:
        free = await _empty_codes(uow)
        merged, into = free[0], next(c for c in free if c[:2] == free[0][:2] and c != free[0])
        split = next(c for c in free[1:] if c[:2] != merged[:2])
        a, b = [c for c in free if c[:2] == split[:2] and c != split][:2]
        units = {}
        for code in (merged, split):
            est = {"name": f"試験事業所{code}", "area_code": code, "postal_code": postal.codes_by_municipality()[code][0],
                   "jsic14": "7611", "employees": 4}  # fmt: skip
            units[code] = (await birth(uow, dt.date(2022, 6, 1), {"name": f"試験商店{code}"}, est, "試験"))[1]
    settings, stop = get_settings(), asyncio.Event()
    tasks = [asyncio.create_task(run_relay(settings, stop)),
             asyncio.create_task(AreaChangeConsumer().run(settings, stop, event_decoder()))]  # fmt: skip
    try:
        for code, kind, targets in ((merged, "merger_absorb", [into]), (split, "split", [a, b])):
            body = {"code": with_check_digit(code), "effective_on": DAY.isoformat(), "reason": f"試験 {code}",
                    "kind": kind, "gazette_ref": "官報 試験", "ends": [with_check_digit(code)],
                    "links": [{"old_code": with_check_digit(code), "new_code": with_check_digit(t)} for t in targets]}  # fmt: skip
            r = await client.post("/api/area/changes", json=body, headers=h)
            assert r.status_code == 201, r.text

        async def runs():
            async with UnitOfWork(SYSTEM) as uow:
                rows = await uow.fetch("SELECT filename, report FROM frame_run WHERE kind = 'areas' AND filename"
                                       " LIKE 'area.change_registered%' AND effective_on = $1", DAY)  # fmt: skip
            found = {r["filename"].split()[1]: _obj(r["report"]) for r in rows}
            return found if {merged, split} <= set(found) else None

        reports = await eventually(runs, timeout=90, message="the frame's runs for both area events through Kafka")
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    history = (await client.get(f"/api/frame/register/{units[merged]}", headers=h)).json()
    assert [v["area_code"] for v in history] == [merged, into]
    assert history[-1]["valid_from"] == DAY.isoformat() and history[-1]["change_kind"] == "area"
    assert f"{merged}→{into}" in history[-1]["change_reason"]
    moves = [r.get(f"{merged}->{into}", 0) for r in reports.values()]
    assert sorted(moves) == [0, 1]  # moved once; the second event's run found it moved already
    held = (await client.get(f"/api/frame/register/{units[split]}", headers=h)).json()
    assert [v["area_code"] for v in held] == [split]  # a split is not guessed ...
    assert reports[split][f"review:{split}->{a}/{b}"] == 1  # ... but listed for the operator

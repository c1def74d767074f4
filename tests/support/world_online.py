"""Tenant A's online survey: a survey cycle, one respondent with one unit (marker in the names);
made through the agency API with A's API key."""

from __future__ import annotations

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import another_client, api_key


async def build(world, app) -> None:
    m = world.marker
    now = dt.datetime.now(dt.UTC)
    h = {"x-api-key": await api_key(world.a.id, roles=("agency_admin", "agency_staff"))}
    async with another_client(app) as c:
        r = await c.post(
            "/api/online/surveys",
            headers=h,
            json={
                "code": "walker",
                "name_ja": f"非公開の調査 {m}",
                "opens_at": (now - dt.timedelta(days=1)).isoformat(),
                "deadline_at": (now + dt.timedelta(days=30)).isoformat(),
                "retention_until": (now + dt.timedelta(days=400)).date().isoformat(),
            },
        )
        assert r.status_code == 201, r.text
        survey_id = world.own("online_survey", r.json()["id"])
        roster = f"respondent_id,unit_name,address,area_code,email\nW1,世帯 {m},奈良市 {m},29201,w@example.jp\n"
        r = await c.post(
            f"/api/online/surveys/{survey_id}/respondents",
            content=roster.encode(),
            headers={**h, "content-type": "text/csv", "accept": "application/json"},
        )
        assert r.status_code == 201, r.text
        rid = world.own("online_respondent", r.json()[0]["respondent_id"])
        world.secrets.append(r.json()[0]["password"])
    async with UnitOfWork(Scope.system("walker")) as uow:
        world.own("online_unit", await uow.fetchval("SELECT id FROM online_unit WHERE respondent_id = $1::uuid", rid))

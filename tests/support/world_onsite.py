"""Tenant A's on-site objects: a loaded microdata dataset, a researcher's approved grant on it, an
open session at a facility and one checked output, each made through the module's own use cases
(the dataset through A's API key); the facility is the operator's (shared)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.onsite import facilities, grants, outputs, visits
from govstat.platform.subsystems.onsite.schemas import DecisionIn, DeviceIn, FacilityIn, GrantIn, TableIn
from govstat.tenants import schemas
from govstat.tenants.accounts import service as accounts
from tests.support.factories import OPERATOR, PASSWORD, another_client, unique

INSIDE = "10.99.0.5"


def _csv(marker: str) -> bytes:
    rows = ["area,sex,income"] + [f"29201,{1 + i % 2},{100 + i}" for i in range(30)]
    return ("\n".join(rows) + "\n").encode()


async def build(world, app) -> None:
    m = world.marker
    h = {"x-api-key": world.extra["a_api_key"]}
    async with another_client(app) as c:
        r = await c.post(
            "/api/onsite/datasets",
            headers=h,
            json={
                "survey_name": f"非公開の個票 {m}",
                "year": 2020,
                "title": f"個票 {m}",
                "variables": [
                    {"name": "area", "kind": "category"},
                    {"name": "sex", "kind": "category"},
                    {"name": "income", "kind": "number"},
                ],
                "retention_until": str(dt.date.today() + dt.timedelta(days=400)),
            },
        )
        assert r.status_code == 201, r.text
        dataset_id = world.own("onsite_dataset", r.json()["id"])
        r = await c.post(
            f"/api/onsite/datasets/{dataset_id}/file", headers=h, files={"file": ("w.csv", _csv(m), "text/csv")}
        )
        assert r.status_code == 200, r.text
    async with UnitOfWork(OPERATOR) as uow:
        place = await facilities.register(uow, FacilityIn(name="歩行試験の施設", ranges=["10.99.0.0/16"]))
        credential = (await facilities.issue_device(uow, place.id, DeviceIn(label="端末"))).credential
        login = unique("wr")
        who = await accounts.register(
            uow, schemas.RegisterIn(login=login, display_name="研究者", password=PASSWORD, email=f"{login}@example.jp")
        )
        await uow.execute("UPDATE app_user SET roles = ARRAY['onsite'] WHERE id = $1", who.id)
    world.extra["onsite_facility_id"] = str(place.id)
    researcher = Scope(role="onsite", actor=str(who.id))
    today = dt.date.today()
    async with UnitOfWork(researcher) as uow:
        grant = await grants.apply(
            uow,
            GrantIn(
                purpose=f"非公開の研究目的 {m}",
                dataset_ids=[uuid.UUID(dataset_id)],
                variables=["area", "sex", "income"],
                facility_ids=[place.id],
                starts_on=today,
                ends_on=today + dt.timedelta(days=30),
            ),
            "研究者",
        )
    async with UnitOfWork(Scope.tenant(world.a.id, actor="walker")) as uow:
        await grants.decide(uow, grant.id, DecisionIn(approve=True))
    world.own("onsite_grant", grant.id)
    async with UnitOfWork(researcher) as uow:
        visit = await visits.open_visit(uow, grant.id, INSIDE, credential)
        assert not isinstance(visit, visits.Refused), visit
        world.own("onsite_visit", visit.id)
        out = await outputs.run(
            uow, visit.id, TableIn(dataset_id=uuid.UUID(dataset_id), group_by=["sex"]), INSIDE, credential
        )
        assert not isinstance(out, visits.Refused)
        world.own("onsite_output", out.id)

"""Helpers of the on-site tests: an agency with its API key, a researcher signed in at a given
address, a facility with a terminal, a dataset loaded through the API, and a live grant."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass

import httpx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.onsite import facilities, grants
from govstat.platform.subsystems.onsite.schemas import DecisionIn, DeviceIn, FacilityIn, GrantIn
from govstat.tenants import schemas
from govstat.tenants.accounts import service as accounts
from tests.support.factories import OPERATOR, PASSWORD, api_key, make_tenant, sign_in, unique

INSIDE = "10.77.3.21"
OUTSIDE = "192.0.2.44"
RANGE = "10.77.0.0/16"
VARIABLES = [
    {"name": "municipality", "label": "市区町村", "kind": "category"},
    {"name": "sex", "label": "男女", "kind": "category", "codes": ["1", "2"]},
    {"name": "age_group", "label": "年齢", "kind": "category"},
    {"name": "income", "label": "年収", "kind": "number"},
]


def client_at(app, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 40100)), base_url="http://testserver.local"
    )


@dataclass
class Researcher:
    id: uuid.UUID
    login: str


async def researcher() -> Researcher:
    login = unique("rs")
    async with UnitOfWork(OPERATOR) as uow:
        row = await accounts.register(
            uow,
            schemas.RegisterIn(login=login, display_name="研究 太郎", password=PASSWORD, email=f"{login}@example.jp"),
        )
        await uow.execute("UPDATE app_user SET roles = ARRAY['onsite'] WHERE id = $1", row.id)
    return Researcher(row.id, login)


async def facility(ranges: tuple[str, ...] = (RANGE,)) -> tuple[uuid.UUID, str]:
    """A facility and one terminal: (facility id, the terminal's credential)."""
    async with UnitOfWork(OPERATOR) as uow:
        f = await facilities.register(uow, FacilityIn(name=f"施設{unique()}", ranges=list(ranges)))
        issued = await facilities.issue_device(uow, f.id, DeviceIn(label="端末1"))
    return f.id, issued.credential


async def agency():
    t = await make_tenant(modules=("onsite",))
    return t, {"x-api-key": await api_key(t.id, roles=("agency_admin", "agency_staff"))}


def rows_csv(rows: list[tuple[str, str, str, float]]) -> bytes:
    out = io.StringIO()
    out.write("municipality,sex,age_group,income\n")
    for r in rows:
        out.write(",".join(str(x) for x in r) + "\n")
    return out.getvalue().encode()


async def dataset(client: httpx.AsyncClient, headers: dict, content: bytes, **over) -> dict:
    body = {
        "survey_name": f"試験調査{unique()}",
        "year": 2020,
        "title": "試験の個票",
        "variables": VARIABLES,
        "retention_until": str(dt.date.today() + dt.timedelta(days=365)),
        **over,
    }
    r = await client.post("/api/onsite/datasets", json=body, headers=headers)
    assert r.status_code == 201, r.text
    d = r.json()
    r = await client.post(
        f"/api/onsite/datasets/{d['id']}/file", headers=headers, files={"file": ("d.csv", content, "text/csv")}
    )
    assert r.status_code == 200, r.text
    return r.json()


async def live_grant(
    tenant_id: uuid.UUID,
    who: Researcher,
    dataset_id: str,
    facility_id: uuid.UUID,
    variables: tuple[str, ...] = ("municipality", "sex", "age_group", "income"),
) -> str:
    """Applied for in the researcher's scope and approved in the agency's (the use cases the API calls)."""
    today = dt.date.today()
    async with UnitOfWork(Scope(role="onsite", actor=str(who.id))) as uow:
        row = await grants.apply(
            uow,
            GrantIn(
                purpose="地域別の所得分布の研究のため",
                dataset_ids=[uuid.UUID(dataset_id)],
                variables=list(variables),
                facility_ids=[facility_id],
                starts_on=today,
                ends_on=today + dt.timedelta(days=30),
            ),
            "研究 太郎",
        )
    async with UnitOfWork(Scope.tenant(tenant_id, actor="reviewer")) as uow:
        await grants.decide(uow, row.id, DecisionIn(approve=True, note="可"))
    return str(row.id)


async def session(c: httpx.AsyncClient, who: Researcher, grant_id: str, credential: str) -> tuple[str, dict]:
    """Signs `c` in and opens a session: (visit id, the headers every call of it sends)."""
    csrf = await sign_in(c, who.login)
    headers = {"x-csrf-token": csrf, "x-onsite-device": credential}
    r = await c.post("/api/onsite/visits", headers=headers, json={"grant_id": grant_id})
    assert r.status_code == 201, r.text
    return r.json()["id"], headers

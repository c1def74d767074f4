"""Helpers of the online survey tests: an agency subscribed to `online`, a survey open now, a small
respondent list, and signing a respondent in (with the forced password change done)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from tests.support.factories import api_key, make_tenant, unique

NEW_PASSWORD = "my-own-password-2026"


async def agency():
    t = await make_tenant(modules=("online", "area"))
    return t, {"x-api-key": await api_key(t.id, roles=("agency_admin", "agency_staff"))}


def survey_body(**over) -> dict:
    now = dt.datetime.now(dt.UTC)
    body = {
        "code": unique("s"),
        "name_ja": "家計の状況に関する調査",
        "name_en": "Household situation survey",
        "cycle": "2026年12月",
        "opens_at": (now - dt.timedelta(days=1)).isoformat(),
        "deadline_at": (now + dt.timedelta(days=7)).isoformat(),
        "retention_until": (now + dt.timedelta(days=400)).date().isoformat(),
    }
    body.update(over)
    return body


def roster(rows: list[dict], pre: tuple[str, ...] = ()) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    cols = ["respondent_id", "unit_id", "unit_name", "address", "area_code", "email", *(f"pre:{p}" for p in pre)]
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c.removeprefix("pre:") if c.startswith("pre:") else c, "") for c in cols])
    return out.getvalue().encode()


def households(n: int, prefix: str = "H") -> list[dict]:
    return [
        {
            "respondent_id": f"{prefix}{i:03d}",
            "unit_name": f"世帯{i}",
            "address": f"奈良市{i}番地",
            "area_code": "29201",
            "email": f"h{i}@example.jp",
        }
        for i in range(1, n + 1)
    ]


async def survey_with_respondents(client, headers, n: int = 2, **over):
    s = (await client.post("/api/online/surveys", json=survey_body(**over), headers=headers)).json()
    r = await client.post(
        f"/api/online/surveys/{s['id']}/respondents",
        content=roster(households(n)),
        headers={**headers, "content-type": "text/csv", "accept": "application/json"},
    )
    assert r.status_code == 201, r.text
    return s, r.json()


async def respondent_signed_in(client, cred: dict) -> str:
    """Sign in with the letter's password, change it as asked; the session's CSRF token."""
    r = await client.post("/auth/login", json={"login": cred["login"], "password": cred["password"]})
    assert r.status_code == 200, r.text
    csrf = r.json()["csrf"]
    r = await client.post(
        "/online/password",
        data={"current": cred["password"], "new": NEW_PASSWORD, "again": NEW_PASSWORD, "_csrf": csrf},
    )
    assert r.status_code == 303, r.text
    return csrf


async def first_unit(client) -> str:
    """The id of the first unit on the signed-in respondent's /online page."""
    html = (await client.get("/online")).text
    return re.search(r'href="/online/units/([0-9a-f-]{36})"', html).group(1)


async def roomy_plan() -> str:
    """A fee plan that never rate-limits (a hundred submissions at once from one respondent)."""
    from tests.support.billing_factories import unlimited_plan

    return await unlimited_plan("online-roomy", "オンライン調査試験")


async def questionnaire(client, headers) -> tuple[str, str]:
    """The items tests' household questionnaire, registered under a fresh prefix and published:
    (questionnaire id, prefix)."""
    import uuid

    from tests.platform.subsystems.items.items_support import prefixed_yaml, register

    p = "o" + uuid.uuid4().hex[:6] + "_"
    await register(client, headers, p)
    r = await client.post(
        "/api/items/questionnaires",
        content=prefixed_yaml(p).encode(),
        headers={**headers, "content-type": "application/yaml"},
    )
    assert r.status_code == 201, r.text
    qid = r.json()["questionnaire_id"]
    assert (await client.post(f"/api/items/questionnaires/{qid}/publish", headers=headers)).status_code == 200
    return qid, p


async def household_survey(client, n: int = 2, plan: str = "standard", agency_code: str = "", areas=(), **over):
    """An agency with the published household questionnaire, a survey open now bound to it and `n`
    households whose head's name is pre-printed: (tenant, agency headers, survey, letters, prefix)."""
    t = await make_tenant(modules=("online", "items", "area", "statdb"), plan=plan)
    if agency_code:
        from govstat.platform.db.uow import UnitOfWork
        from tests.support.factories import OPERATOR

        async with UnitOfWork(OPERATOR) as uow:
            await uow.execute("UPDATE tenant SET agency_code = $2 WHERE id = $1", t.id, agency_code)
    h = {"x-api-key": await api_key(t.id, roles=("agency_admin", "agency_staff"))}
    qid, p = await questionnaire(client, h)
    body = survey_body(questionnaire_id=qid, questionnaire_version=1, unit_kind="household", **over)
    s = await client.post("/api/online/surveys", json=body, headers=h)
    assert s.status_code == 201, s.text
    rows = [dict(r, **{f"{p}hh_name": f"奈良 太郎{i}"}) for i, r in enumerate(households(n), start=1)]
    for r, code in zip(rows, areas, strict=False):
        r["area_code"] = code
    r = await client.post(
        f"/api/online/surveys/{s.json()['id']}/respondents",
        content=roster(rows, pre=(f"{p}hh_name",)),
        headers={**h, "content-type": "text/csv", "accept": "application/json"},
    )
    assert r.status_code == 201, r.text
    return t, h, s.json(), r.json(), p


def good_answers(p: str, **over) -> dict[str, str]:
    a = {
        f"{p}hh_members": "3",
        f"{p}hh_male": "1",
        f"{p}hh_female": "2",
        f"{p}head_sex": "1",
        f"{p}head_birth": "昭和55年4月1日",
        f"{p}head_works": "0",
    }
    a.update(over)
    return {k: v for k, v in a.items() if v is not None}


async def intermediary_user(tenant_id) -> str:
    """A user with the intermediary role in that tenant: its login (password factories.PASSWORD)."""
    from govstat.platform.db.uow import UnitOfWork
    from govstat.tenants import schemas, users
    from tests.support.factories import OPERATOR, PASSWORD

    login = unique("im")
    async with UnitOfWork(OPERATOR) as uow:
        await users.create_user(
            uow,
            tenant_id,
            schemas.UserIn(login=login, display_name="経由機関", password=PASSWORD, roles=["intermediary"]),
        )
    return login

"""Helpers of the online survey tests: an agency subscribed to `online`, a survey open now, a small
respondent list, and signing a respondent in (with the forced password change done)."""

from __future__ import annotations

import csv
import datetime as dt
import io

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

"""ONLINE-1: the agency imports respondents (errors by line and column), each gets a login ID and an
initial password once in the letter, stored only as an argon2id hash; the first sign-in forces a new
password; a reissue ends the old password; a respondent sees only their own units."""

import csv
import io

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.online.online_support import (
    NEW_PASSWORD,
    agency,
    respondent_signed_in,
    roster,
    survey_body,
    survey_with_respondents,
)
from tests.support.factories import another_client


async def test_import_reports_every_bad_line_and_column_and_stores_nothing(client):
    _, h = await agency()
    s = (await client.post("/api/online/surveys", json=survey_body(), headers=h)).json()
    bad = roster(
        [
            {"respondent_id": "A1", "unit_name": "世帯", "area_code": "29201", "email": "a@example.jp"},
            {"respondent_id": "A2", "unit_name": "", "area_code": "2920", "email": "not-mail"},
            {"respondent_id": "A1", "unit_id": "A1", "unit_name": "重複", "area_code": "29201"},
        ]
    )
    r = await client.post(
        f"/api/online/surveys/{s['id']}/respondents", content=bad, headers={**h, "content-type": "text/csv"}
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"line 3.unit_name", "line 3.area_code", "line 3.email", "line 4.unit_id"}
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM online_respondent WHERE survey_id = $1", s["id"]) == 0


async def test_letter_is_shown_once_and_passwords_are_argon2id_hashes(client):
    _, h = await agency()
    s = (await client.post("/api/online/surveys", json=survey_body(), headers=h)).json()
    rows = [
        {"respondent_id": "E1", "unit_id": "E1-01", "unit_name": "本社", "area_code": "29201", "email": "e@example.jp"},
        {"respondent_id": "E1", "unit_id": "E1-02", "unit_name": "工場", "area_code": "29202", "email": "e@example.jp"},
        {"respondent_id": "H２", "unit_name": "世帯", "area_code": "２９２０３"},  # full-width folded
    ]
    r = await client.post(
        f"/api/online/surveys/{s['id']}/respondents", content=roster(rows), headers={**h, "content-type": "text/csv"}
    )
    assert r.status_code == 201 and r.headers["content-type"].startswith("text/csv"), r.text
    letter = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert letter[0][:5] == ["回答者ID", "調査単位", "所在地", "ログインID", "初期パスワード"]
    assert [row[0] for row in letter[1:]] == ["E1", "H2"] and letter[1][1] == "本社 / 工場"
    passwords = [row[4] for row in letter[1:]]
    async with UnitOfWork(Scope.system("test")) as uow:
        stored = await uow.fetch("SELECT login, password_hash FROM online_respondent WHERE survey_id = $1", s["id"])
        units = await uow.fetchval("SELECT count(*) FROM online_unit WHERE survey_id = $1", s["id"])
    assert units == 3 and all(x["password_hash"].startswith("$argon2id$") for x in stored)
    assert not any(p in x["password_hash"] for p in passwords for x in stored)
    listing = (await client.get(f"/api/online/surveys/{s['id']}/respondents", headers=h)).json()
    assert listing["total"] == 2 and "password" not in str(listing)
    # the same respondent id again: refused, naming the line (reissue is the way)
    again = await client.post(
        f"/api/online/surveys/{s['id']}/respondents",
        content=roster(rows[:1]),
        headers={**h, "content-type": "text/csv"},
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "line 2.respondent_id"


async def test_first_sign_in_forces_a_new_password_and_reissue_ends_the_old_one(client, app):
    _, h = await agency()
    s, creds = await survey_with_respondents(client, h, n=1)
    cred = creds[0]
    r = await client.post("/auth/login", json={"login": cred["login"], "password": cred["password"]})
    assert r.status_code == 200 and r.json()["roles"] == ["respondent"]
    home = await client.get("/online")
    assert home.status_code == 303 and home.headers["location"] == "/online/password"
    csrf = r.json()["csrf"]
    short = await client.post(
        "/online/password", data={"current": cred["password"], "new": "short", "again": "short", "_csrf": csrf}
    )
    assert short.status_code == 422 and "12" in short.text
    ok = await client.post(
        "/online/password",
        data={"current": cred["password"], "new": NEW_PASSWORD, "again": NEW_PASSWORD, "_csrf": csrf},
    )
    assert ok.status_code == 303
    home = await client.get("/online")
    assert home.status_code == 200 and "世帯1" in home.text and "未提出" in home.text
    # the old (initial) password no longer signs in; the new one does
    async with another_client(app) as c2:
        assert (
            await c2.post("/auth/login", json={"login": cred["login"], "password": cred["password"]})
        ).status_code == 401
        assert (
            await c2.post("/auth/login", json={"login": cred["login"], "password": NEW_PASSWORD})
        ).status_code == 200
    # the agency reissues: the respondent's session ends, the new letter's password works once more
    r = await client.post(
        f"/api/online/surveys/{s['id']}/respondents/{cred['respondent_id']}/reissue",
        headers={**h, "accept": "application/json"},
    )
    assert r.status_code == 200 and r.json()[0]["login"] == cred["login"]
    assert (await client.get("/online")).status_code == 401
    async with another_client(app) as c3:
        assert (
            await c3.post("/auth/login", json={"login": cred["login"], "password": NEW_PASSWORD})
        ).status_code == 401
        await respondent_signed_in(c3, r.json()[0])


async def test_a_respondent_sees_only_their_own_units_even_in_sql(client, app):
    t, h = await agency()
    s, creds = await survey_with_respondents(client, h, n=3)
    await respondent_signed_in(client, creds[0])
    home = (await client.get("/online")).text
    assert "世帯1" in home and "世帯2" not in home and "世帯3" not in home
    # row-level security, not the query: the respondent's scope sees one respondent, one unit
    me = creds[0]["respondent_id"]
    async with UnitOfWork(Scope(tenant_id=t.id, role="respondent", actor=me)) as uow:
        assert await uow.fetchval("SELECT count(*) FROM online_respondent") == 1
        assert await uow.fetchval("SELECT count(*) FROM online_unit") == 1
        assert (
            await uow.execute("UPDATE online_unit SET unit_name = 'x' WHERE respondent_id <> $1::uuid", me)
            == "UPDATE 0"
        )
    # and no agency route opens to a respondent
    assert (await client.get(f"/api/online/surveys/{s['id']}/respondents")).status_code == 403

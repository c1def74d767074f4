"""Registered general users, My page and the appId that names them on the public API."""

from tests.support.factories import register_public


async def test_app_id_lifecycle(client, app):
    csrf = (await register_public(client)).csrf
    r = await client.post("/api/account/app-ids", json={"name": "研究用"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 201, r.text
    app_id, row_id = r.json()["app_id"], r.json()["id"]
    assert len(app_id) == 40

    from tests.support.factories import another_client

    anon = another_client(app)
    assert await _api_status(anon, app_id) != 100  # the e-Stat API knows the caller

    # another registered user cannot see or revoke it
    other = another_client(app)
    other_csrf = (await register_public(other)).csrf
    assert (await other.get("/api/account/app-ids")).json() == []
    assert (
        await other.delete(f"/api/account/app-ids/{row_id}", headers={"x-csrf-token": other_csrf})
    ).status_code == 404

    assert (await client.delete(f"/api/account/app-ids/{row_id}", headers={"x-csrf-token": csrf})).status_code == 200
    assert await _api_status(anon, app_id) == 100  # revoked: e-Stat's "appId not valid"


async def _api_status(client, app_id: str) -> int:
    r = await client.get("/rest/3.0/app/json/getStatsList", params={"appId": app_id, "limit": "1"})
    return int(r.json()["GET_STATS_LIST"]["RESULT"]["STATUS"])


async def test_register_refuses_bad_input_naming_the_field(client):
    r = await client.post(
        "/api/account/register",
        json={"login": "ab", "display_name": "x", "email": "x@example.com", "password": "long-enough-pass"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "login"


async def test_my_page_needs_sign_in_and_shows_app_ids(client):
    r = await client.get("/mypage")
    assert r.status_code == 401
    csrf = (await register_public(client)).csrf
    await client.post("/mypage/app-ids", data={"name": "ページから", "_csrf": csrf})
    page = await client.get("/mypage")
    assert page.status_code == 200 and "ページから" in page.text and "アプリケーションID" in page.text

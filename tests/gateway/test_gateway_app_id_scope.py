"""An appId is only the name of a public-API caller: it opens the e-Stat API paths and nothing else.

Before, `?appId=` (or an `appId` form field) on My page and `/api/account/*` acted as the user, so
anyone who saw an appId in a URL or a log could mint and revoke the user's other appIds."""

from tests.support.factories import another_client, register_public


async def _user_with_app_id(client) -> tuple[str, str]:
    csrf = (await register_public(client)).csrf
    r = await client.post("/api/account/app-ids", json={"name": "研究用"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 201, r.text
    return r.json()["app_id"], r.json()["id"]


async def test_an_app_id_does_not_open_my_page_or_the_account_api(client, app):
    app_id, row_id = await _user_with_app_id(client)
    q = {"appId": app_id}
    async with another_client(app) as anon:
        assert (await anon.get("/api/account/app-ids", params=q)).status_code == 401
        assert (await anon.post("/api/account/app-ids", params=q, json={"name": "盗用"})).status_code == 401
        assert (await anon.delete(f"/api/account/app-ids/{row_id}", params=q)).status_code == 401
        assert (await anon.get("/mypage", params=q)).status_code == 401
        assert (await anon.post("/mypage/app-ids", data={"appId": app_id, "name": "盗用"})).status_code == 401
        assert (await anon.post(f"/mypage/app-ids/{row_id}/revoke", data={"appId": app_id})).status_code == 401
        assert (await anon.get("/estat/mypage", params=q)).status_code == 401
        assert (await anon.get("/api/estat/saved-queries", params=q)).status_code == 401
        me = (await anon.get("/api/me", params=q)).json()
        assert me["kind"] == "anonymous"
        # still the caller's name on the e-Stat API
        r = await anon.get("/rest/3.0/app/json/getStatsList", params={**q, "limit": "1"})
        assert r.json()["GET_STATS_LIST"]["RESULT"]["STATUS"] != 100
    listed = (await client.get("/api/account/app-ids")).json()
    assert [(a["name"], a["revoked_at"]) for a in listed] == [("研究用", None)]  # nothing minted, nothing revoked


async def test_an_app_id_next_to_a_session_does_not_replace_it(client, app):
    """A signed-in user's page with someone's appId in the URL is still the user's own page."""
    await _user_with_app_id(client)
    mine = (await client.get("/api/account/app-ids")).json()
    async with another_client(app) as other:
        their_app_id, _ = await _user_with_app_id(other)
    r = await client.get("/api/account/app-ids", params={"appId": their_app_id})
    assert r.status_code == 200 and r.json() == mine

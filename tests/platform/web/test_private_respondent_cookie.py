"""Review h21: the answers to an anonymous respondent's browser are theirs, not only the one that
sets its cookie. A questionnaire page fetched with the `estat_respondent` cookie says whether that
browser has answered; it carried no Cache-Control (only an answer setting a cookie, or one to a
session or an API key, did), so a shared cache could keep "you have answered already" and show it,
with no form, to every later visitor of the page."""

from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.test_private_answers_cache import _private


async def test_a_page_for_a_respondent_cookie_is_not_stored(app, client):
    h = await ps.operator(client)
    body = {"title": "キャッシュ2", "audience": "anyone", "questions": [{"kind": "text", "text": "ご意見"}]}
    q = (await client.post("/api/estat/questionnaires", json=body, headers=h)).json()
    assert (await client.post(f"/api/estat/questionnaires/{q['id']}/publish", headers=h)).status_code in (200, 201)
    async with ps.client_from(app) as anon:
        assert (await anon.get(f"/estat/questionnaires/{q['id']}")).status_code == 200  # its cookie
        field = f"q_{q['questions'][0]['id']}"
        assert (await anon.post(f"/estat/questionnaires/{q['id']}", data={field: "はい"})).status_code == 200
        again = await anon.get(f"/estat/questionnaires/{q['id']}")
        assert again.status_code == 200 and 'id="already"' in again.text and "set-cookie" not in again.headers
        assert _private(again), again.headers.get("cache-control")

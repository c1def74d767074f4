"""A signed-in answer is never kept by a shared cache nor left in the browser's (review h20).

Pages and API answers made for a signed-in caller (session cookie or API key) hold that caller's
data: a respondent's answers in their form, an agency's surveys, the session's CSRF token in every
page. Without Cache-Control a proxy in front of the site may keep one and give it to the next
caller of the same URL (another tenant's staff), and the browser of a shared PC keeps the
respondent's answers on disk after sign-out. What the handler says itself (a public tile, a
download's own policy) stands; an anonymous answer is left to the handler."""

import pytest

from tests.platform.subsystems.online.online_support import agency, household_survey, respondent_signed_in
from tests.support import factories as f


def _private(r) -> bool:
    directives = {d.strip() for d in r.headers.get("cache-control", "").lower().split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize("path", ["/portal", "/api/me", "/area", "/api/area/codes?pref=29", "/api/no-such-route"])
async def test_a_signed_in_session_s_answers_are_private_and_not_stored(client, path):
    await f.sign_in(client, (await f.make_tenant()).staff_login)
    r = await client.get(path)
    assert r.status_code < 500, r.text
    assert _private(r), (path, r.status_code, r.headers.get("cache-control"))


async def test_an_api_key_s_answers_are_private_and_not_stored(client):
    _, h = await agency()
    r = await client.get("/api/online/surveys", headers=h)
    assert r.status_code == 200 and _private(r), r.headers.get("cache-control")


async def test_a_respondent_s_form_with_their_answers_is_not_stored(client):
    _, _, _, letters, _ = await household_survey(client, n=1)
    await respondent_signed_in(client, letters[0])
    home = await client.get("/online")
    assert home.status_code == 200 and _private(home)
    unit = home.text.split('href="/online/units/', 1)[1][:36]
    form = await client.get(f"/online/units/{unit}")
    assert form.status_code == 200 and _private(form), form.headers.get("cache-control")


async def test_anonymous_and_explicit_policies_are_left_alone(client):
    anon = await client.get("/area")
    assert anon.status_code == 200 and "no-store" not in anon.headers.get("cache-control", "")
    await f.sign_in(client, (await f.make_tenant()).staff_login)
    # the handler's own policy (public boundaries, the same for everyone) is kept
    tile = await client.get("/api/gis/tiles/prefecture/6/56/25.mvt")
    assert tile.status_code == 200 and tile.headers["cache-control"] == "public, max-age=300"


async def test_an_answer_that_sets_a_cookie_is_never_shared(app, client):
    """An anonymous visitor's first questionnaire page gives them their own respondent cookie: a
    shared cache that kept the page would give the same cookie, and so the same "already answered"
    identity, to every later visitor."""
    from tests.platform.subsystems.estat import portal_support as ps

    h = await ps.operator(client)
    body = {"title": "キャッシュ", "audience": "anyone", "questions": [{"kind": "text", "text": "ご意見"}]}
    qid = (await client.post("/api/estat/questionnaires", json=body, headers=h)).json()["id"]
    assert (await client.post(f"/api/estat/questionnaires/{qid}/publish", headers=h)).status_code in (200, 201)
    async with ps.client_from(app) as anon:
        form = await anon.get(f"/estat/questionnaires/{qid}")
        assert form.status_code == 200 and "estat_respondent" in form.headers.get("set-cookie", "")
        assert _private(form), form.headers.get("cache-control")
        again = await anon.get(f"/estat/questionnaires/{qid}")  # the cookie is set: nothing private to set
        assert again.status_code == 200 and "set-cookie" not in again.headers

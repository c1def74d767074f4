"""Login CSRF: another site's form cannot sign a visitor in (as the attacker). The browser's
Origin and Sec-Fetch-Site headers, which no page can forge, say where the form came from."""

import pytest

from tests.support import factories as f

FORM = {"login": None, "password": f.PASSWORD, "next": "/portal"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver.local"},
    ],
    ids=["other origin", "opaque origin", "fetch metadata cross-site", "same-site subdomain"],
)
async def test_a_cross_site_sign_in_form_is_refused(client, headers):
    t = await f.make_tenant()
    r = await client.post("/auth/login", data={**FORM, "login": t.staff_login}, headers=headers)
    assert r.status_code == 403 and r.json()["status"] == 403
    assert "set-cookie" not in r.headers
    assert "govstat_session" not in client.cookies


async def test_the_sites_own_form_and_api_clients_sign_in(client):
    t = await f.make_tenant()
    same = {"Origin": "http://testserver.local", "Sec-Fetch-Site": "same-origin"}
    r = await client.post("/auth/login", data={**FORM, "login": t.staff_login}, headers=same)
    assert r.status_code == 303 and r.headers["location"] == "/portal" and "govstat_session" in client.cookies
    client.cookies.clear()
    # a script or curl sends neither header: not a browser carrying a victim
    assert (await client.post("/auth/login", json={"login": t.staff_login, "password": f.PASSWORD})).status_code == 200

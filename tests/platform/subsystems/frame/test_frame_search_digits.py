"""Review h21: a register search for what str.isdigit() takes for digits but int() refuses (a
superscript "²") is a search like any other, not a 500;
the same for the register page's minimum employees."""

from tests.support.factories import operator_client_csrf


async def test_a_search_for_a_superscript_digit_is_no_500(client):
    h = {"x-csrf-token": await operator_client_csrf(client)}
    for q in ("²", "²³"):
        r = await client.get("/api/frame/register", headers=h, params={"q": q})
        assert r.status_code == 200, r.text[:300]
    page = await client.get("/frame/register", headers=h, params={"min_employees": "²"})
    assert page.status_code == 200, page.text[:300]

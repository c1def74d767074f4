"""The sign-in form's `next=` sends the browser on only within this site (review h20: an open
redirect). Browsers read a backslash as a slash and drop tabs and newlines from a URL (WHATWG URL
standard), so `/\\evil.example` and `/<TAB>/evil.example` are `//evil.example`: another site."""

from urllib.parse import urljoin

import pytest

from tests.support import factories as f

OFF_SITE = [
    "//evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "\\/evil.example/",
    " //evil.example/",
    "https://evil.example/",
    "/%0a/evil.example",  # stays a path (the browser never decodes it): may pass, must stay here
]


def _browser_target(location: str) -> str:
    """Where a browser goes from a Location on this site (its URL parser: tabs and newlines removed,
    backslash as slash, leading/trailing C0 controls and spaces stripped)."""
    cleaned = location.strip("".join(map(chr, range(0x21)))).replace("\t", "").replace("\n", "").replace("\r", "")
    return urljoin("http://testserver.local/login", cleaned.replace("\\", "/"))


@pytest.mark.parametrize("target", OFF_SITE, ids=repr)
async def test_next_never_leads_off_the_site(client, target):
    t = await f.make_tenant()
    page = await client.get("/login", params={"next": target})
    assert page.status_code == 200
    r = await client.post("/auth/login", data={"login": t.staff_login, "password": f.PASSWORD, "next": target})
    assert r.status_code == 303, r.text
    where = _browser_target(r.headers["location"])
    assert where.startswith("http://testserver.local/"), (target, r.headers["location"], where)


async def test_a_local_next_is_kept(client):
    t = await f.make_tenant()
    r = await client.post(
        "/auth/login", data={"login": t.staff_login, "password": f.PASSWORD, "next": "/area/codes?pref=29"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/area/codes?pref=29"

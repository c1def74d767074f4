"""Security headers on every kind of answer, and templates the policy can allow (hardening issue 8)."""

import re
from pathlib import Path

import pytest

from tests.support import factories as f

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = [
    ("page", "GET", "/area"),
    ("page signed in", "GET", "/portal"),
    ("api", "GET", "/api/area/codes?pref=29"),
    ("e-Stat API", "GET", "/rest/3.0/app/json/getStatsList?appId=" + "0" * 40),
    ("problem 401", "GET", "/api/auth/tenants"),
    ("problem 404 (no route)", "GET", "/api/no-such-route"),
    ("problem 422", "POST", "/auth/login"),
    ("static file", "GET", "/static/govstat.css"),
    ("health", "GET", "/healthz"),
    ("login page", "GET", "/login"),
]


@pytest.mark.parametrize("kind,method,path", REQUESTS, ids=[r[0] for r in REQUESTS])
async def test_every_answer_carries_the_security_headers(client, kind, method, path):
    if kind == "page signed in":
        await f.sign_in(client, (await f.make_tenant()).staff_login)
    r = await client.request(method, path, json={} if method == "POST" else None)
    assert r.status_code < 500, r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    policy = {}
    for directive in r.headers["content-security-policy"].split(";"):
        name, _, value = directive.strip().partition(" ")
        policy[name] = value
    assert policy["frame-ancestors"] == "'none'"
    if kind == "e-Stat API":
        # data, never a page: stricter still (nothing loads or runs, and a sandbox besides)
        assert policy["default-src"] == "'none'" and "sandbox" in policy
        return
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["form-action"] == "'self'"


async def test_the_openapi_viewer_keeps_framing_refused(client):
    r = await client.get("/schema/swagger")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_templates_hold_no_inline_script_or_event_handler():
    """`script-src 'self'` runs no inline code: data goes in JSON blocks, code in /static/*.js."""
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in INLINE_SCRIPT.finditer(text)]
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in INLINE_HANDLER.finditer(text)]
        offenders += [f"{path.relative_to(ROOT)}: javascript: URL" for _ in re.finditer(r"javascript:", text, re.I)]
    assert offenders == []

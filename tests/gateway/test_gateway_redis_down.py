"""With Redis unreachable, the documented policy holds for people with a session cookie too:
reads pass anonymously, writes answer 503 (before: every request carrying a cookie answered 500).

A real app process is pointed at a Redis address where nothing listens (the shared Redis keeps
running): the client and the refusal are real."""

import httpx
import pytest

from tests.support.server import AppProcess, running

DEAD_REDIS = "redis://127.0.0.1:1/0"
COOKIE = {"govstat_session": "a-session-id-the-app-cannot-look-up-now"}


@pytest.fixture(scope="module")
def app_without_redis():
    with running(AppProcess(env={"GOVSTAT_REDIS_URL": DEAD_REDIS})) as (app,):
        yield app


def test_reads_with_a_session_cookie_pass_anonymously(app_without_redis):
    with httpx.Client(base_url=app_without_redis.url, cookies=COOKIE, timeout=30) as c:
        assert c.get("/area").status_code == 200
        assert c.get("/api/area/codes", params={"pref": "29"}).status_code == 200
        me = c.get("/api/me")
        assert me.status_code == 200 and me.json()["kind"] == "anonymous"
        r = c.get("/portal")
        assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_writes_with_or_without_a_cookie_answer_503(app_without_redis):
    with httpx.Client(base_url=app_without_redis.url, cookies=COOKIE, timeout=30) as c:
        for method, path, body in (
            ("POST", "/auth/logout", None),
            ("POST", "/api/auth/tenants/applications", {"code": "x"}),
            ("POST", "/api/account/app-ids", {"name": "x"}),
        ):
            r = c.request(method, path, json=body, headers={"X-CSRF-Token": "anything"})
            assert r.status_code == 503, (path, r.status_code, r.text)
            assert r.json()["status"] == 503 and r.headers["content-type"].startswith("application/problem+json")
    with httpx.Client(base_url=app_without_redis.url, timeout=30) as c:
        # signing in needs the lockout counters: it waits too, never a 500 nor a lockout bypass
        r = c.post("/auth/login", json={"login": "operator", "password": "operator-demo-2026!"})
        assert r.status_code == 503 and r.json()["status"] == 503

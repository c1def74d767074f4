"""Issue 15 §5: several app processes behind one address keep sessions, limits and caches right.

One `govstat serve --workers 2`: uvicorn binds the address once and both worker processes accept from
that socket, so one URL answers from two processes (each answer names its process in
`x-govstat-process`; every request here opens a new connection, so the kernel hands each to either).
A session made through one request works in many answered by both processes and ends for both; a
rate limit counts the calls of both; and an API key revoked (cached in each process) is refused by
both. Separate processes behind a load balancer, or on one port with SO_REUSEPORT, share the same
state the same way (docs/scaling.md).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import httpx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import PASSWORD, make_tenant
from tests.support.server import AppProcess

CALLS = 30  # also the session's limit: room for the waits below, where one process may answer many calls in a row
START_SECONDS = 120  # a busy CI machine imports slowly


async def _plan(burst: int) -> str:
    code = f"pair-{uuid.uuid4().hex[:6]}"
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        await uow.execute(
            "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst)"
            " VALUES ($1, 'テスト', $2, 3600, $2)",
            code,
            burst,
        )
    return code


async def _until_both(http: httpx.AsyncClient, url: str, status: int, seconds: float, **kw) -> Counter[str]:
    """Calls `url` (a new connection each) until both processes have answered `status`; every answer
    from then on must be `status`. The processes that answered, with how many answers each."""
    seen: Counter[str] = Counter()
    t0 = time.monotonic()
    while len(seen) < 2:
        assert time.monotonic() - t0 < seconds, f"not {status} from two processes in time: {dict(seen)}"
        r = await http.get(url, **kw)
        if r.status_code == status:
            seen[r.headers["x-govstat-process"]] += 1
        else:
            assert not seen, f"{r.status_code} after {status} was answered: {r.text[:200]}"
        await asyncio.sleep(0.05)  # a process that answered stays the kernel's first pick while it is on the CPU
    return seen


async def test_sessions_limits_and_caches_hold_across_processes_on_one_address():
    t = await make_tenant(plan=await _plan(CALLS))
    app = AppProcess(args=("--workers", "2"))
    try:
        app.start(timeout=START_SECONDS)
        limits = httpx.Limits(max_keepalive_connections=0)  # each request its own connection
        async with httpx.AsyncClient(timeout=10, limits=limits) as http:
            # both processes serving before the session's calls, which count against its limit of CALLS
            # an hour (a process still starting left the other to answer every call of the wait below)
            await _until_both(http, app.url + "/healthz", 200, START_SECONDS)
            login = await http.post(app.url + "/auth/login", json={"login": t.admin_login, "password": PASSWORD})
            assert login.status_code == 200
            csrf = {"x-csrf-token": login.json()["csrf"]}
            # one sign-in, used by requests both processes answer (the session store is Redis)
            keys_url = app.url + f"/api/auth/tenants/{t.id}/api-keys"
            await _until_both(http, keys_url, 200, START_SECONDS)
            made = await http.post(keys_url, json={"name": "pair", "roles": ["agency_staff"]}, headers=csrf)
            assert made.status_code == 201, made.text
            key = {"x-api-key": made.json()["token"]}

            # the key's limit counts the calls of both processes: CALLS in all, not CALLS each
            answers = [
                await http.get(app.url + "/api/area/codes", params={"limit": 1}, headers=key) for _ in range(2 * CALLS)
            ]
            statuses = [r.status_code for r in answers]
            assert statuses == [200] * CALLS + [429] * CALLS, statuses
            assert len({r.headers["x-govstat-process"] for r in answers}) == 2, "one process answered every call"

            # both processes hold the key in their local caches; revoked through one request, it is refused by
            # both within the local cache's 2 s
            revoked = await http.delete(app.url + f"/api/auth/api-keys/{made.json()['id']}", headers=csrf)
            assert revoked.status_code == 200, revoked.text
            seen: Counter[str] = Counter()
            t0 = time.monotonic()
            while len(seen) < 2:  # a process whose cache still holds the key answers 429 (spent), for 2 s at most
                r = await http.get(app.url + "/api/area/codes", params={"limit": 1}, headers=key)
                assert r.status_code == 401 or (r.status_code == 429 and time.monotonic() - t0 < 3.0), r.status_code
                if r.status_code == 401:
                    seen[r.headers["x-govstat-process"]] += 1

            # signing out through one request ends the session for both processes
            assert (await http.post(app.url + "/auth/logout", headers=csrf)).status_code in (200, 204)
            await _until_both(http, keys_url, 401, 10.0)
    finally:
        app.stop()

"""Issue 15 §5: several app processes behind one address keep sessions, limits and caches right.

Two real `govstat serve` processes (what `govstat serve --workers N`, a load balancer or
SO_REUSEPORT put behind one address): a session made through one works through the other and ends
for both, a rate limit counts the calls of both, and a revoked API key (cached in each process) is
refused by both.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import PASSWORD, make_tenant
from tests.support.server import AppProcess

CALLS = 12


@contextmanager
def both(*apps: AppProcess) -> Iterator[tuple[AppProcess, ...]]:
    """The processes started side by side (each takes seconds to import and build the app)."""
    try:
        with ThreadPoolExecutor(len(apps)) as pool:
            list(pool.map(lambda a: a.start(timeout=120), apps))  # a busy CI machine imports slowly
        yield apps
    finally:
        for a in apps:
            a.stop()


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


async def _refused_within(client: httpx.AsyncClient, url: str, headers: dict, seconds: float) -> float:
    t0 = time.monotonic()
    while (await client.get(url, params={"limit": 1}, headers=headers)).status_code != 401:
        assert time.monotonic() - t0 < seconds, "the revoked key still works"
        await asyncio.sleep(0.1)
    return time.monotonic() - t0


async def test_sessions_limits_and_caches_hold_across_two_processes():
    t = await make_tenant(plan=await _plan(CALLS))
    with both(AppProcess(), AppProcess()) as (a, b):
        async with httpx.AsyncClient(timeout=10) as http:
            # a session made through A works through B (the session store is Redis, not a process)
            login = await http.post(a.url + "/auth/login", json={"login": t.admin_login, "password": PASSWORD})
            assert login.status_code == 200
            csrf = {"x-csrf-token": login.json()["csrf"]}
            made = await http.post(
                b.url + f"/api/auth/tenants/{t.id}/api-keys",
                json={"name": "pair", "roles": ["agency_staff"]},
                headers=csrf,
            )
            assert made.status_code == 201, made.text
            key = {"x-api-key": made.json()["token"]}

            # the key's limit counts the calls of both processes: CALLS in all, not CALLS each
            statuses = [
                (await http.get((a, b)[i % 2].url + "/api/area/codes", params={"limit": 1}, headers=key)).status_code
                for i in range(2 * CALLS)
            ]
            assert statuses.count(200) == CALLS and statuses.count(429) == CALLS
            assert statuses[-2:] == [429, 429]  # both refuse once the shared allowance is spent

            # both processes hold the key in their local caches (a 429 comes after the key is known);
            # revoking it through B is seen by A too (within its local cache's 2 s)
            revoked = await http.delete(b.url + f"/api/auth/api-keys/{made.json()['id']}", headers=csrf)
            assert revoked.status_code == 200, revoked.text
            assert (await http.get(b.url + "/api/area/codes", params={"limit": 1}, headers=key)).status_code == 401
            assert await _refused_within(http, a.url + "/api/area/codes", key, 3.0) < 3.0

            # signing out through A ends the session for B too
            assert (await http.post(a.url + "/auth/logout", headers=csrf)).status_code in (200, 204)
            after = await http.get(b.url + f"/api/auth/tenants/{t.id}/api-keys")
            assert after.status_code == 401

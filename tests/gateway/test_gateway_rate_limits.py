"""Rate limits hold across app processes (Redis, one script per check); the Redis-down policy."""

import asyncio
import uuid

import httpx

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import decode
from govstat.platform.security import Scope
from tests.support.factories import api_key, make_tenant
from tests.support.server import AppProcess, running


async def _tight_plan() -> str:
    code = f"tight-{uuid.uuid4().hex[:6]}"
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        await uow.execute(
            "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst)"
            " VALUES ($1, 'テスト', 6, 3600, 6)",
            code,
        )
    return code


async def test_limit_is_shared_by_two_app_processes():
    t = await make_tenant(plan=await _tight_plan())
    headers = {"x-api-key": await api_key(t.id)}
    with running(AppProcess(), AppProcess()) as (a, b):
        statuses, last_429 = [], None
        async with httpx.AsyncClient(timeout=10) as client:
            for i in range(24):
                target = (a, b)[i % 2]
                r = await client.get(target.url + "/api/area/codes", params={"limit": 1}, headers=headers)
                statuses.append(r.status_code)
                if r.status_code == 429:
                    last_429 = r
    # burst 6 in all, not 6 per process
    assert statuses.count(200) == 6 and statuses.count(429) == 18
    assert int(last_429.headers["retry-after"]) > 0
    assert "q=6;w=3600" in last_429.headers["ratelimit-policy"]
    assert "r=0" in last_429.headers["ratelimit"]
    assert last_429.headers["content-type"].startswith("application/problem+json")


async def test_rate_limit_headers_on_success(client):
    t = await make_tenant()
    r = await client.get("/api/area/codes", params={"limit": 1}, headers={"x-api-key": await api_key(t.id)})
    assert r.status_code == 200 and "ratelimit" in r.headers and "ratelimit-policy" in r.headers


async def test_redis_down_reads_pass_writes_503_and_usage_is_kept():
    t = await make_tenant()
    headers = {"x-api-key": await api_key(t.id, roles=("agency_admin",))}
    marker = f"redis-down-{uuid.uuid4().hex[:8]}"
    app = AppProcess(env={"GOVSTAT_REDIS_URL": "redis://127.0.0.1:1/0"})
    with running(app):
        async with httpx.AsyncClient(base_url=app.url, timeout=20) as client:
            read = await client.get(
                "/api/area/codes", params={"limit": 2}, headers={**headers, "idempotency-key": marker}
            )
            write = await client.post(
                f"/api/auth/tenants/{t.id}/users",
                headers=headers,
                json={"login": marker, "display_name": "x", "password": "long-enough-pass", "roles": ["agency_staff"]},
            )
    assert read.status_code == 200
    assert write.status_code == 503 and write.headers["content-type"].startswith("application/problem+json")
    await asyncio.sleep(0)
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE kind = 'usage' ORDER BY seq DESC LIMIT 200")
        assert await uow.fetchval("SELECT count(*) FROM app_user WHERE login = $1", marker) == 0
    keys = [decode(r["payload"]).payload.idempotency_key for r in rows]
    assert marker in keys  # metered straight into the database while Redis was away

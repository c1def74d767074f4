"""Review h21: an admission whose script ran in Redis but whose reply never came back (the
connection lost after the write, or a reply later than the wire's timeout) leaves no open record.

The gateway then answers a write 503 (a read passes, its full event written at once), yet the
script had recorded the call as open, with the process's id; nothing closed that record, so the
sweep later billed the refused write one unit, status 0, once its process ended (or after the
600 s backstop), and a read twice under one id. The gateway now hands the call's id to the closer
of unclosed records (unclosed.py), which removes it once Redis answers. A real app process, real
Redis behind a proxy that drops the admission's reply once."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from govstat.gateway import ratelimit
from govstat.gateway.metering import OPEN
from govstat.platform.cache import redis_client
from govstat.platform.events.envelope import decode
from tests.support.factories import api_key, make_tenant
from tests.support.redis_cut import DropReplyOnce
from tests.support.server import AppProcess


async def _open_with(key: str) -> list[bytes]:
    return [i for i, raw in (await redis_client().hgetall(OPEN)).items() if decode(raw).payload.idempotency_key == key]


async def test_a_write_refused_because_its_admission_went_unanswered_leaves_no_open_record():
    tenant = await make_tenant()
    token = await api_key(tenant.id, roles=("agency_admin", "agency_staff"))
    redis = redis_client()
    await redis.script_load(ratelimit._SCRIPT)  # the admission runs at its first EVALSHA (no NOSCRIPT)
    where = redis.connection_pool.connection_kwargs
    key = f"unanswered-{uuid.uuid4().hex[:10]}"
    with DropReplyOnce(where["port"], key.encode()) as proxy:  # the admission of this call only
        app = AppProcess(env={"GOVSTAT_REDIS_URL": f"redis://127.0.0.1:{proxy.port}/{where['db']}"}).start()
        try:
            async with httpx.AsyncClient(base_url=app.url, timeout=30) as c:
                r = await c.post(
                    f"/api/auth/tenants/{tenant.id}/api-keys",
                    json={"name": key, "roles": ["agency_staff"]},
                    headers={"x-api-key": token, "idempotency-key": key},
                )
            assert proxy.dropped.is_set()  # the admission reached Redis and ran; its reply was lost
            assert r.status_code == 503, r.text
            await asyncio.sleep(4)  # the closer's first try is after 0.5 s
            assert await _open_with(key) == [], "the refused call's open record is left for the sweep to bill"
        finally:
            app.stop()

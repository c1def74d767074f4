"""GOV-4/PLAT-2 with one Redis round trip per call (issue 15): the script that admits a call also
records it as open, so it is durable before the handler runs; its full event follows the answer."""

import uuid

import httpx

from govstat.gateway.completions import settle_all
from govstat.gateway.metering import OPEN, STREAM
from govstat.gateway.ratelimit import Limit, RateLimiter
from govstat.gateway.usage_drain import drain_once
from govstat.gateway.usage_sweep import sweep_open
from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, decode, encode, new_event
from govstat.platform.events.ids import event_id
from govstat.platform.security import Scope
from tests.support.factories import make_tenant, sign_in


async def _open_keys() -> set[str]:
    return {decode(v).payload.idempotency_key for v in (await redis_client().hgetall(OPEN)).values()}


async def _drain() -> None:
    while await drain_once(redis_client(), "test-drain"):
        pass


async def _in_outbox(event_id: uuid.UUID) -> UsagePayload | None:
    async with UnitOfWork(Scope.system()) as uow:
        raw = await uow.fetchval("SELECT payload FROM outbox WHERE id = $1", event_id)
    return decode(raw).payload if raw else None


async def test_a_call_is_open_before_its_answer_starts_and_complete_after(app):
    t = await make_tenant()
    open_at_answer: list[set[str]] = []

    async def observed(scope, receive, send):  # what Redis holds when the app starts answering
        async def watch(message):
            if message["type"] == "http.response.start" and scope["path"] == "/api/area/codes":
                open_at_answer.append(await _open_keys())
            await send(message)

        await app(scope, receive, watch)

    key = f"k-{uuid.uuid4().hex[:8]}"
    before = event_id()
    transport = httpx.ASGITransport(app=observed, client=("10.9.8.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        await sign_in(client, t.staff_login)
        r = await client.get(
            "/api/area/codes",
            params={"date": "2024-05-26", "pref": "29", "limit": 10},
            headers={"idempotency-key": key},
        )
    assert r.status_code == 200
    assert key in open_at_answer[0]  # durable before the answer: a kill -9 now still bills the call
    await settle_all()
    assert key not in await _open_keys()  # completed: the open record is closed ...
    entries = await redis_client().xrevrange(STREAM, count=20)
    events = [decode(f[b"e"]) for _, f in entries if b"e" in f]
    event = next(e for e in events if e.payload.idempotency_key == key)  # ... and the full event is in the stream
    p = event.payload
    assert event.tenant_id == t.id
    assert event.id.version == 7 and event.id > before  # the one time-ordered generator (events/ids.py)
    assert (p.module, p.operation, p.status, p.units, p.principal_kind) == ("area", "area.search", 200, 10, "agency")
    assert p.bytes == len(r.content) and p.latency_ms > 0
    await _drain()
    assert (await _in_outbox(event.id)).status == 200


async def test_a_call_never_completed_is_recorded_as_admitted_and_a_refused_one_not_at_all():
    redis = redis_client()
    limiter = RateLimiter(redis)
    limit = Limit(quota=1, window=60, burst=2)
    who = f"test:{uuid.uuid4().hex[:8]}"
    admitted = [
        new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", status=0, units=1))
        for _ in range(3)
    ]
    verdicts = [await limiter.check(who, limit, (str(e.id), encode(e))) for e in admitted]
    assert [v.allowed for v in verdicts] == [True, True, False]  # a burst of two, then refused
    assert [await redis.hexists(OPEN, str(e.id)) for e in admitted] == [True, True, False]
    await sweep_open(redis)  # younger than ORPHAN_AFTER_S: a live process may still complete them
    assert await redis.hexists(OPEN, str(admitted[0].id))
    # the process died: once no process can complete them, the sweep records them as admitted
    assert await sweep_open(redis, older_than_s=0) >= 2
    await _drain()
    recorded = [await _in_outbox(e.id) for e in admitted]
    assert [p.status if p else None for p in recorded] == [0, 0, None]
    assert not await redis.hexists(OPEN, str(admitted[0].id))

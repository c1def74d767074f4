"""GOV-4: a killed app process's open calls are billed within seconds (its heartbeat expires and the
relay's sweep takes them), a live process's are not, and a process that stalls past its heartbeat
and completes after the sweep adds no second event. Real app processes (kill -9, SIGSTOP), Redis and
PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import time
import uuid

import httpx

from govstat.gateway import heartbeat
from govstat.gateway.completions import Completions
from govstat.gateway.heartbeat import ALIVE, TTL_S, Heartbeat
from govstat.gateway.metering import OPEN, OPEN_BY, OPEN_SINCE, STREAM
from govstat.gateway.ratelimit import Limit, RateLimiter
from govstat.gateway.usage_drain import drain_once, run_drain
from govstat.gateway.usage_sweep import sweep_open
from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, decode, encode, new_event
from govstat.platform.security import Scope
from tests.support.eventually import eventually
from tests.support.factories import api_key, make_tenant
from tests.support.server import AppProcess


class HeldCall:
    """A write whose body arrives in two parts: admitted (open) as soon as its headers are in, it
    waits in the handler for the rest of its body until `finish`."""

    def __init__(self, app: AppProcess, token: str, tenant_id: uuid.UUID) -> None:
        self.app, self.token, self.tenant_id = app, token, tenant_id
        self.key = f"held-{uuid.uuid4().hex[:10]}"
        self.body = json.dumps({"name": self.key, "roles": ["agency_staff"]}).encode()

    async def open(self) -> HeldCall:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.app.port)
        head = (
            f"POST /api/auth/tenants/{self.tenant_id}/api-keys HTTP/1.1\r\nhost: test\r\n"
            f"x-api-key: {self.token}\r\nidempotency-key: {self.key}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(self.body)}\r\nconnection: close\r\n\r\n"
        )
        self.writer.write(head.encode() + self.body[:5])
        await self.writer.drain()
        return self

    async def finish(self) -> int:
        self.writer.write(self.body[5:])
        await self.writer.drain()
        status = int((await asyncio.wait_for(self.reader.readline(), 30)).split()[1])
        self.writer.close()
        return status

    async def record(self) -> tuple[str, str]:
        """(event id, process id) of the call's open record, once the app has admitted it."""

        async def find() -> tuple[str, str] | None:
            for event_id, raw in (await redis_client().hgetall(OPEN)).items():
                if decode(raw).payload.idempotency_key == self.key:
                    owner = await redis_client().hget(OPEN_BY, event_id)
                    return event_id.decode(), owner.decode()
            return None

        return await eventually(find, timeout=20, message=f"{self.key} open")


async def _usage(event_id: str) -> UsagePayload | None:
    async with UnitOfWork(Scope.system()) as uow:
        raw = await uow.fetchval("SELECT payload FROM outbox WHERE id = $1", uuid.UUID(event_id))
    return decode(raw).payload if raw else None


async def _admin() -> tuple[uuid.UUID, str]:
    t = await make_tenant()
    return t.id, await api_key(t.id, roles=("agency_admin", "agency_staff"))


async def test_a_killed_process_open_calls_are_swept_within_seconds_and_a_live_process_kept():
    tenant_id, token = await _admin()
    doomed, live = AppProcess().start(), AppProcess().start()
    redis = redis_client()
    stop = asyncio.Event()
    drain = asyncio.create_task(run_drain(redis, stop, "test-heartbeat"))  # the relay's loop, sweeping every 2 s
    try:
        dying, lasting = HeldCall(doomed, token, tenant_id), HeldCall(live, token, tenant_id)
        await dying.open()
        await lasting.open()
        opened = time.monotonic()
        (dying_id, dying_owner), (lasting_id, lasting_owner) = await dying.record(), await lasting.record()
        assert dying_owner != lasting_owner  # each process its own id ...
        assert await redis.zscore(ALIVE, dying_owner) and await redis.zscore(ALIVE, lasting_owner)  # ... and heartbeat
        killed = time.monotonic()
        doomed.kill()  # kill -9: no shutdown, its call stays open
        await eventually(lambda: _gone(dying_id), timeout=30, interval=0.1, message="the killed process's call swept")
        swept_after = time.monotonic() - killed
        print(f"\nkilled process's open call swept {swept_after:.1f} s after the kill -9")
        assert swept_after < 15  # was ORPHAN_AFTER_S, 10 minutes
        assert await redis.zscore(ALIVE, dying_owner) is None  # its expired heartbeat cleared away
        # the live process's call, open longer than a heartbeat's TTL and two sweeps, is still open
        await asyncio.sleep(max(TTL_S + 4 - (time.monotonic() - opened), 0))
        assert await redis.hexists(OPEN, lasting_id)
        assert await lasting.finish() == 201
        lasting_usage = await eventually(lambda: _usage(lasting_id), timeout=20, message="the live call's usage")
        assert (lasting_usage.status, lasting_usage.idempotency_key) == (201, lasting.key)  # its real status
        dying_usage = await eventually(lambda: _usage(dying_id), timeout=20, message="the killed call's usage")
        assert (dying_usage.status, dying_usage.units, dying_usage.idempotency_key) == (0, 1, dying.key)
    finally:
        stop.set()
        await drain
        live.stop()
        doomed.kill()


async def _gone(event_id: str) -> bool:
    return not await redis_client().hexists(OPEN, event_id)


async def test_a_stalled_process_completing_after_the_sweep_adds_no_second_event():
    tenant_id, token = await _admin()
    app = AppProcess(env={"GOVSTAT_USAGE_HEARTBEAT_TTL_SECONDS": "3"}).start()  # a stall of ~8 s outlives it
    redis = redis_client()
    try:
        since = (await redis.xinfo_stream(STREAM))["last-generated-id"] if await redis.exists(STREAM) else b"0-0"
        held = await HeldCall(app, token, tenant_id).open()
        event_id, _ = await held.record()
        app.proc.send_signal(signal.SIGSTOP)  # alive, but its event loop (and heartbeat) frozen
        try:
            await eventually(lambda: _swept(event_id), timeout=30, interval=0.5, message="the stalled call swept")
        finally:
            app.proc.send_signal(signal.SIGCONT)
        assert await held.finish() == 201  # answered after all: its completion finds the call swept
        # a call after it on the same process: once its event is in the stream, the late completion went too
        key = f"after-{uuid.uuid4().hex[:8]}"
        async with httpx.AsyncClient(base_url=app.url, timeout=10) as client:
            r = await client.get(
                "/api/area/codes", params={"limit": 1}, headers={"x-api-key": token, "idempotency-key": key}
            )
            assert r.status_code == 200
            await eventually(lambda: _in_stream(since, key), timeout=20, message="the next call's completion")
            late = _metric((await client.get("/metrics")).text, "govstat_usage_late_completions_total")
        entries = [e for e in await _stream_events(since) if str(e[1].id) == event_id]
        assert [(kind, e.payload.status, e.payload.units) for kind, e in entries] == [
            ("s", 0, 1)
        ]  # one event, as admitted
        assert late == 1  # the completion came, and was counted, not written
        while await drain_once(redis, "test-drain"):
            pass
        usage = await _usage(event_id)
        assert (usage.status, usage.units) == (0, 1)
    finally:
        app.stop()


async def _swept(event_id: str) -> bool:
    await sweep_open(redis_client())  # the relay's sweep, run here so the stream keeps what it wrote
    return not await redis_client().hexists(OPEN, event_id)


async def _stream_events(since: bytes) -> list[tuple[str, object]]:
    entries = await redis_client().xrange(STREAM, min=f"({since.decode()}" if since != b"0-0" else "-")
    return [(k.decode(), decode(v)) for _, fields in entries for k, v in fields.items()]


async def _in_stream(since: bytes, key: str) -> bool:
    return any(e.payload.idempotency_key == key for _, e in await _stream_events(since))


def _metric(text: str, name: str) -> float:
    found = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def test_a_forked_child_draws_its_own_process_id():
    from govstat.gateway.heartbeat import process_id

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its id, then gone at once
        os.write(write, process_id().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 200).decode()
    os.close(read)
    assert child and child != process_id() and f"/{pid}/" in child


def _admitted() -> tuple[str, bytes]:
    event = new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", status=0, units=1))
    return str(event.id), encode(event)


async def test_the_sweep_takes_a_dead_process_call_once_old_enough_and_an_old_code_call_only_at_the_backstop(
    monkeypatch,
):
    redis = redis_client()
    limiter, limit = RateLimiter(redis), Limit(quota=1000, window=1)
    live = Heartbeat(redis)
    await live.beat()  # this process beats ...
    mine = _admitted()
    assert (await limiter.check(f"hb:{uuid.uuid4().hex}", limit, mine)).allowed
    monkeypatch.setattr(heartbeat, "_process", [f"gone/{uuid.uuid4().hex}"])  # ... one that never did is dead
    orphan = _admitted()
    assert (await limiter.check(f"hb:{uuid.uuid4().hex}", limit, orphan)).allowed
    old_code = _admitted()  # as the admission script before heartbeats wrote it: no process id
    await redis.hset(OPEN, old_code[0], old_code[1])
    await redis.zadd(OPEN_SINCE, {old_code[0]: int(time.time() * 1000)})
    open_ids = {mine[0], orphan[0], old_code[0]}

    async def still_open() -> set[str]:
        return {i for i in open_ids if await redis.hexists(OPEN, i)}

    await sweep_open(redis)  # a dead process's call just admitted: not yet (DEAD_AFTER_S)
    assert await still_open() == open_ids
    await sweep_open(redis, dead_after_s=0)  # old enough: the dead process's call only
    assert await still_open() == {mine[0], old_code[0]}
    await sweep_open(redis, older_than_s=0, dead_after_s=0)  # the backstop: whatever their process
    assert await still_open() == set()
    assert not await redis.hexists(OPEN_BY, orphan[0])


async def test_a_completion_after_the_sweep_adds_nothing_and_one_whose_record_redis_lost_is_written(monkeypatch):
    redis = redis_client()
    monkeypatch.setattr(heartbeat, "_process", [f"gone/{uuid.uuid4().hex}"])
    since = (await redis.xinfo_stream(STREAM))["last-generated-id"] if await redis.exists(STREAM) else b"0-0"
    swept, lost = _admitted(), _admitted()
    assert (await RateLimiter(redis).check(f"hb:{uuid.uuid4().hex}", Limit(quota=1000, window=1), swept)).allowed
    assert await sweep_open(redis, dead_after_s=0) >= 1
    writer = Completions(redis)
    for event_id, data in (swept, lost):  # `lost`: admitted, then its record lost in a Redis crash
        full = decode(data)
        full.payload.status, full.payload.units = 200, 7
        writer.add(full, event_id)
    await writer.settle()
    kinds = {
        i: [(k, e.payload.status) for k, e in await _stream_events(since) if str(e.id) == i] for i, _ in (swept, lost)
    }
    assert kinds == {swept[0]: [("s", 0)], lost[0]: [("e", 200)]}

"""Review h21: live calls older than a dead process's call do not hide it from the sweep. The sweep
looked at the oldest `count` (1,000) open calls older than DEAD_AFTER_S and no further, so as many
live long calls (slow uploads, long downloads: any caller can hold calls open) kept every dead
process's calls behind them from being billed until the 600 s backstop. It now looks past the live
ones (up to ten times `count` a run). Real Redis; `count` made small."""

from __future__ import annotations

import uuid

from govstat.gateway import heartbeat
from govstat.gateway.heartbeat import Heartbeat
from govstat.gateway.metering import OPEN, OPEN_BY, OPEN_SINCE
from govstat.gateway.ratelimit import Limit, RateLimiter
from govstat.gateway.usage_sweep import sweep_open
from govstat.platform.cache import redis_client
from govstat.platform.events.envelope import UsagePayload, encode, new_event


def _admitted() -> tuple[str, bytes]:
    event = new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", status=0, units=1))
    return str(event.id), encode(event)


async def test_a_dead_process_call_behind_many_live_ones_is_swept(monkeypatch):
    redis = redis_client()
    limiter, limit = RateLimiter(redis), Limit(quota=100_000, window=1)
    await Heartbeat(redis).beat()  # this process is alive ...
    live = [_admitted() for _ in range(25)]
    for call in live:  # ... and its calls, older than the dead one's, still running
        assert (await limiter.check(f"sw:{uuid.uuid4().hex}", limit, call)).allowed
    monkeypatch.setattr(heartbeat, "_process", [f"gone/{uuid.uuid4().hex}"])  # one that never beat: dead
    dead = _admitted()
    assert (await limiter.check(f"sw:{uuid.uuid4().hex}", limit, dead)).allowed
    await sweep_open(redis, dead_after_s=0, count=10)
    assert not await redis.hexists(OPEN, dead[0]), "the dead process's call was hidden behind live ones"
    assert all([await redis.hexists(OPEN, i) for i, _ in live])  # the live calls stay open
    ids = [i for i, _ in live]  # closed, as their completions would
    await redis.hdel(OPEN, *ids)
    await redis.hdel(OPEN_BY, *ids)
    await redis.zrem(OPEN_SINCE, *ids)

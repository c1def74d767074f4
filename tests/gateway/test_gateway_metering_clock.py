"""Review h21: an app host's clock that is off from Redis's neither gets live calls swept, nor keeps
a dead process's calls from the sweep, nor refuses another host's callers. The admission script's
"now" (the open record's age, the rate limit's arrival time) is Redis's, as the sweep's and the
heartbeat's are (heartbeat.py): before, it was the app host's `time.time()`, so a host 15 minutes
behind had every call it admitted swept at once as "ended unknown" (its real units dropped as a late
completion), one ahead had its dead process's calls never swept, and one an hour ahead set a
principal's limit an hour ahead for the hosts with the right time (429 to all of them).
Real Redis; the app host's clock is the one thing moved."""

from __future__ import annotations

import time
import types
import uuid

from govstat.gateway import heartbeat, ratelimit
from govstat.gateway.heartbeat import Heartbeat
from govstat.gateway.metering import OPEN
from govstat.gateway.ratelimit import Limit, RateLimiter
from govstat.gateway.usage_sweep import sweep_open
from govstat.platform.cache import redis_client
from govstat.platform.events.envelope import UsagePayload, encode, new_event


def _host_clock(monkeypatch, offset_s: float) -> None:
    """This host's wall clock `offset_s` off (ntp not yet synced, a VM resumed, a clock stepped)."""
    real = time.time
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: real() + offset_s), raising=False)


def _admitted() -> tuple[str, bytes]:
    event = new_event(UsagePayload(module="area", operation="area.search", principal_kind="agency", status=0, units=1))
    return str(event.id), encode(event)


async def test_a_live_process_on_a_host_clock_behind_redis_keeps_its_calls_open(monkeypatch):
    redis = redis_client()
    await Heartbeat(redis).beat()  # alive
    _host_clock(monkeypatch, -900)  # 15 minutes behind: older than the 600 s backstop at once
    call = _admitted()
    assert (await RateLimiter(redis).check(f"clk:{uuid.uuid4().hex}", Limit(quota=1000, window=1), call)).allowed
    await sweep_open(redis)  # the relay's sweep, with its defaults
    assert await redis.hexists(OPEN, call[0]), "a live process's call just admitted was swept"


async def test_a_dead_process_on_a_host_clock_ahead_of_redis_has_its_calls_swept(monkeypatch):
    redis = redis_client()
    monkeypatch.setattr(heartbeat, "_process", [f"gone/{uuid.uuid4().hex}"])  # never beat: dead
    _host_clock(monkeypatch, 3600)  # an hour ahead: its calls looked admitted in the future
    call = _admitted()
    assert (await RateLimiter(redis).check(f"clk:{uuid.uuid4().hex}", Limit(quota=1000, window=1), call)).allowed
    await sweep_open(redis, dead_after_s=0)
    assert not await redis.hexists(OPEN, call[0]), "a dead process's call was left open (never billed)"


async def test_a_host_clock_ahead_does_not_refuse_the_same_caller_on_other_hosts(monkeypatch):
    redis, key, limit = redis_client(), f"clk:{uuid.uuid4().hex}", Limit(quota=100, window=1)
    _host_clock(monkeypatch, 3600)
    assert (await RateLimiter(redis).check(key, limit)).allowed  # a call through the host an hour ahead
    monkeypatch.undo()  # the next call through a host with the right time
    verdict = await RateLimiter(redis).check(key, limit)
    assert verdict.allowed, f"refused, retry after {verdict.retry_after} s"

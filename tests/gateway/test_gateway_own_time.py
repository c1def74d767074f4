"""The gateway's own time per call (gateway/owntime.py): every admitted call adds one value, exported
at /metrics, and a call's value is no more than the call's latency seen by its client."""

import re
import time

from govstat.gateway.owntime import OWN
from tests.support.factories import api_key, make_tenant

ROUTE = "/api/area/codes/13101"


def _exported(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} ([0-9.e+-]+)$", text, re.M)
    assert match, f"{series} not at /metrics"
    return float(match.group(1))


async def test_each_call_adds_its_own_time_bounded_by_its_latency(client):
    t = await make_tenant(modules=("area",))
    headers = {"x-api-key": await api_key(t.id)}
    assert (await client.get(ROUTE, headers=headers)).status_code == 200  # caches warm
    before = (await client.get("/metrics")).text
    calls = 5
    for _ in range(calls):
        total, code, lookups, redis = OWN.total.sum, OWN.code.sum, OWN.lookups.sum, OWN.redis.sum
        started = time.perf_counter()
        r = await client.get(ROUTE, headers=headers)
        latency = time.perf_counter() - started
        assert r.status_code == 200
        own = OWN.total.sum - total
        assert 0 < own <= latency  # the handler's own time (a database query) is not in it
        waited = OWN.redis.sum - redis
        assert waited > 0  # the rate-limit round trip was timed
        authenticating = OWN.lookups.sum - lookups
        assert authenticating > 0
        assert abs((OWN.code.sum - code) + authenticating + waited - own) < 1e-9
    after = (await client.get("/metrics")).text

    # the first /metrics call is recorded once its answer has gone, so the second read counts it too
    count = "govstat_gateway_own_seconds_count"
    assert _exported(after, count) - _exported(before, count) == calls + 1
    inf = 'govstat_gateway_own_seconds_bucket{le="+Inf"}'
    assert _exported(after, inf) - _exported(before, inf) == calls + 1
    assert _exported(after, "govstat_gateway_own_seconds_sum") > _exported(before, "govstat_gateway_own_seconds_sum")
    redis_count = 'govstat_gateway_own_part_seconds_count{part="redis_wait"}'
    assert _exported(after, redis_count) - _exported(before, redis_count) == calls + 1


async def test_a_refused_call_reaches_no_handler_and_adds_nothing(client):
    count = OWN.total.counts[:]
    r = await client.get("/api/area/export")  # anonymous on a protected route: 401 before any handler
    assert r.status_code == 401
    assert OWN.total.counts == count

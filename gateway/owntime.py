"""The gateway's own time per call (issue 15 §2), a figure the scheduler blurs less than end-to-end
latency: from the pipeline's entry to the handler, plus its work on the answer's messages (bytes,
status, headers, the meter) and after the handler returns. The handler and everything downstream of
the pipeline's `send` (Litestar, OpenTelemetry, uvicorn) are left out.

Split in three: `redis_wait`, the awaited rate-limit round trip (the plan's limit, the script, the
open record: the one durable write before the handler; it includes the loop turns other tasks run
in); `lookups`, authentication and a cold tenant profile (a session's Redis read, a cold API key's
or profile's read are awaited there: under load every call in flight when a 2 s entry expires waits
on the refresh); and `code`, the rest: the gateway's own code running.

A bounded bucket array, not an OpenTelemetry histogram: recording an OTel histogram costs 3-4 us a
value on this machine (0.1 us here), a tenth of the gateway's own CPU for three values a call. It is
exported where OTel's reader is, in the process's Prometheus registry (/metrics).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client import REGISTRY
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.registry import Collector

# 10 us .. 1 s, 10 bounds a decade (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8): quantiles read back within ~20 %
BOUNDS: tuple[float, ...] = (
    *(round(m * 10.0**e, 9) for e in range(-5, 0) for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)),
    1.0,
)


class Buckets:
    """Counts per bucket (the last one: above the highest bound) and the sum, in seconds."""

    __slots__ = ("counts", "sum")

    def __init__(self) -> None:
        self.counts = [0] * (len(BOUNDS) + 1)
        self.sum = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(BOUNDS, seconds)] += 1
        self.sum += seconds

    def cumulative(self) -> list[tuple[str, int]]:
        out, total = [], 0
        for bound, count in zip((*(repr(b) for b in BOUNDS), "+Inf"), self.counts, strict=True):
            total += count
            out.append((bound, total))
        return out


class OwnTime(Collector):
    """The per-process record (one event loop: no lock; a scrape from another thread may read a value
    half-added, which the next scrape corrects)."""

    def __init__(self) -> None:
        self.total, self.code, self.lookups, self.redis = Buckets(), Buckets(), Buckets(), Buckets()

    def record(self, total: float, lookups: float, redis: float) -> None:
        self.total.observe(total)
        self.code.observe(total - lookups - redis)
        self.lookups.observe(lookups)
        self.redis.observe(redis)

    def collect(self) -> Iterator[HistogramMetricFamily]:
        whole = HistogramMetricFamily(
            "govstat_gateway_own_seconds",
            "time in the gateway's own code per admitted call (handler and downstream excluded)",
            buckets=self.total.cumulative(),
            sum_value=self.total.sum,
        )
        yield whole
        parts = HistogramMetricFamily(
            "govstat_gateway_own_part_seconds",
            "the gateway's own time split: the awaited rate-limit round trip, the lookups (authentication, profile), the rest (code)",
            labels=["part"],
        )
        for name, buckets in (("code", self.code), ("lookups", self.lookups), ("redis_wait", self.redis)):
            parts.add_metric([name], buckets.cumulative(), buckets.sum)
        yield parts


OWN = OwnTime()
REGISTRY.register(OWN)

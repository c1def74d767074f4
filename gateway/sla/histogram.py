"""Latency histograms with fixed bucket bounds, and percentiles read from them.

Per-minute rows cannot keep every latency, but fixed buckets add up exactly
across minutes, tenants and days, so a month's p95 is the p95 of the summed
histogram. Inside a bucket we interpolate linearly (as Prometheus'
histogram_quantile does): exact for latencies spread evenly within a bucket,
never off by more than the bucket's width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# Upper bounds in ms; the last bucket is everything slower than 10 s.
BOUNDS: tuple[float, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, math.inf)
SIZE = len(BOUNDS)


def bucket_index(latency_ms: float) -> int:
    """0-based index of the bucket a latency falls into (a bound belongs to its own bucket)."""
    for i, bound in enumerate(BOUNDS):
        if latency_ms <= bound:
            return i
    return SIZE - 1  # NaN lands in the open bucket rather than nowhere


def one_hot(latency_ms: float | None) -> list[int]:
    """The histogram of one call; all zeros when the call is not measured (a server error)."""
    buckets = [0] * SIZE
    if latency_ms is not None:
        buckets[bucket_index(latency_ms)] = 1
    return buckets


def add(a: Sequence[int], b: Sequence[int]) -> list[int]:
    return [x + y for x, y in zip(a, b, strict=True)]


def percentile(buckets: Sequence[int], q: float) -> float | None:
    """The q-quantile (0 < q <= 1) in ms, interpolated within its bucket; None without data.

    In the open last bucket there is no upper bound to interpolate to, so the answer
    is its lower bound (10 s): "at least this slow"."""
    if not 0 < q <= 1:
        raise ValueError(f"quantile out of range: {q}")
    total = sum(buckets)
    if total == 0:
        return None
    rank = q * total
    below = 0
    for i, n in enumerate(buckets):
        if n and below + n >= rank:
            lower = BOUNDS[i - 1] if i else 0.0
            upper = BOUNDS[i]
            if math.isinf(upper):
                return float(lower)
            return float(lower + (upper - lower) * (rank - below) / n)
        below += n
    return float(BOUNDS[-2])  # unreachable with consistent counts


def sum_sql(column: str = "latency_buckets") -> str:
    """SQL that adds histograms element by element inside a GROUP BY (PostgreSQL has no array sum)."""
    return "ARRAY[" + ", ".join(f"coalesce(sum({column}[{i}]), 0)::bigint" for i in range(1, SIZE + 1)) + "]"

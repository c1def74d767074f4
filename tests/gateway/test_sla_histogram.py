"""GOV-17: latency percentiles from the fixed-bucket histogram, alone and through consumer and report."""

import datetime as dt

import pytest

from govstat.gateway.sla import histogram
from govstat.gateway.sla.burn import Counts, burn_rate, error_budget_left, firing
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.gateway.sla.figures import JST, parse_period, period_bounds
from govstat.gateway.sla.report import build_report
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from tests.support.factories import make_tenant


def hist(latencies) -> list[int]:
    buckets = [0] * histogram.SIZE
    for ms in latencies:
        buckets[histogram.bucket_index(ms)] += 1
    return buckets


def test_uniform_latencies_give_exact_percentiles():
    buckets = hist(range(1, 101))  # 1..100 ms, evenly spread
    assert buckets[:5] == [5, 5, 15, 25, 50] and sum(buckets) == 100
    assert histogram.percentile(buckets, 0.50) == pytest.approx(50.0)
    assert histogram.percentile(buckets, 0.95) == pytest.approx(95.0)
    assert histogram.percentile(buckets, 0.99) == pytest.approx(99.0)


def test_long_tail_is_interpolated_inside_its_bucket():
    buckets = hist([20] * 90 + [3000] * 10)  # 90 fast calls, 10 slow ones in (2500, 5000]
    assert histogram.percentile(buckets, 0.50) == pytest.approx(10 + 15 * 50 / 90)
    assert histogram.percentile(buckets, 0.95) == pytest.approx(2500 + 2500 * 5 / 10)
    assert histogram.percentile(buckets, 0.99) == pytest.approx(2500 + 2500 * 9 / 10)


def test_edges_of_the_histogram():
    assert histogram.percentile([0] * histogram.SIZE, 0.5) is None
    assert histogram.percentile(hist([20000] * 3), 0.99) == 10000  # open bucket: "at least 10 s"
    assert histogram.bucket_index(5) == 0 and histogram.bucket_index(5.001) == 1  # a bound is in its own bucket
    assert histogram.one_hot(None) == [0] * histogram.SIZE
    with pytest.raises(ValueError):
        histogram.percentile(hist([1]), 0)


def test_burn_rate_and_budget_formulas():
    assert burn_rate(Counts(calls=1000, errors=1), 99.9) == pytest.approx(1.0)  # spending exactly the budget
    assert burn_rate(Counts(calls=1000, errors=144), 99.0) == pytest.approx(14.4)
    assert burn_rate(Counts(), 99.9) == 0.0
    assert error_budget_left(10_000, 5, 99.9) == pytest.approx(0.5)  # 5 of 10 allowed bad calls
    assert error_budget_left(0, 0, 99.9) == 1.0
    assert firing({"5m": 20, "1h": 20, "30m": 0, "6h": 0}).name == "1h/5m"
    assert firing({"5m": 20, "1h": 10, "30m": 7, "6h": 7}).name == "6h/30m"  # 1h too low: the slower page
    assert firing({"5m": 1, "1h": 20, "30m": 1, "6h": 20}) is None  # over already: short windows calm


def test_periods_are_japanese_months():
    start, end = period_bounds("2026-12")
    assert start == dt.datetime(2026, 12, 1, tzinfo=JST) and end == dt.datetime(2027, 1, 1, tzinfo=JST)
    assert start.astimezone(dt.UTC).isoformat() == "2026-11-30T15:00:00+00:00"
    assert parse_period("", today=dt.date(2026, 3, 9)) == "2026-03"
    for bad in ("2026-13", "2026-1", "26-01", "2026-01-01"):
        with pytest.raises(InvalidInput):
            parse_period(bad)


async def _feed(tenant_id, at: dt.datetime, calls: list[tuple[int, float]]) -> None:
    consumer = SlaConsumer()
    for i, (status, latency) in enumerate(calls):
        event = new_event(
            UsagePayload(
                module="area", operation="area.search", principal_kind="agency", status=status, latency_ms=latency
            ),
            tenant_id,
            occurred_at=at + dt.timedelta(seconds=i % 3600),
        )
        await consumer.apply(event)


async def _month(period: str, tenant_id):
    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
        report = await build_report(uow, CATALOG, period, module="area", tenant_id=tenant_id)
    return report.modules[0].total


async def test_percentiles_through_the_consumer_and_the_monthly_report():
    t = await make_tenant()
    # 1..100 ms answered, plus 5 server errors that took 20 s: errors never enter the latency histogram.
    await _feed(
        t.id,
        dt.datetime(2025, 4, 10, 9, 0, tzinfo=JST),
        [(200, float(ms)) for ms in range(1, 101)] + [(503, 20000.0)] * 5,
    )
    f = await _month("2025-04", t.id)
    assert (f.calls, f.errors, f.slow) == (105, 5, 0)
    assert (f.p50_ms, f.p95_ms, f.p99_ms) == (50.0, 95.0, 99.0)
    assert f.availability == pytest.approx(100 * 100 / 105) and f.latency_ok == 100.0

    # A slow tail over the 1000 ms threshold: slow calls counted, latency objective missed.
    await _feed(t.id, dt.datetime(2025, 5, 20, 23, 30, tzinfo=JST), [(200, 20.0)] * 90 + [(200, 3000.0)] * 10)
    f = await _month("2025-05", t.id)
    assert (f.calls, f.errors, f.slow) == (100, 0, 10)
    assert (f.p50_ms, f.p95_ms, f.p99_ms) == (pytest.approx(18.333, abs=1e-3), 3750.0, 4750.0)
    assert f.latency_ok == 90.0 and f.latency_met is False and f.availability_met is True

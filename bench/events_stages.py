"""Each stage of the usage events path alone (issue 15 §3): where the pipeline's time goes.

  drain:   N events already in the Redis stream -> the outbox (gateway/usage_drain.py drain_once)
  relay:   N rows already in the outbox -> Kafka (platform/events/relay.py relay_once)
  consume: N events already in Kafka -> the usage topic's shared consumer (events/shared.py),
           timed from its first poll with messages (the group's join left out)

Each stage runs in this process with nothing else of the path running; for each: seconds, events/s,
and CPU microseconds per event of this process and of the PostgreSQL backends of the benchmark
database. Needs the benchmark database and Kafka, as bench/events_pipeline.py (run it with the
environment bench/run_all.py sets up).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.events_pipeline import _counted, _cpu, _cpu_line, _events  # noqa: E402
from bench.summary import figure  # noqa: E402


async def _timed(name: str, n: int, work: Callable[[], Awaitable[None]]) -> None:
    before = await _cpu({"bench": os.getpid()})
    t0 = time.perf_counter()
    await work()
    took = time.perf_counter() - t0
    cpu = _cpu_line(before, await _cpu({"bench": os.getpid()}), n)
    print(f"  {name:8s} {n:,} events in {took:5.2f} s ({n / took:8,.0f} events/s); {cpu}")
    figure("events stages", f"{name} events/s", n / took)


async def drain(n: int, module: str) -> None:
    from govstat.gateway.completions import Completions, settle_all
    from govstat.gateway.usage_drain import drain_once
    from govstat.platform.cache import redis_client

    redis = redis_client()
    writer = Completions(redis)
    for event in _events(n, module):
        writer.add(event)
    await settle_all()

    async def work() -> None:
        while await drain_once(redis):
            pass

    await _timed("drain", n, work)


async def relay(n: int) -> None:
    from govstat.platform.events.claim import ClaimCursor
    from govstat.platform.events.kafka import make_producer
    from govstat.platform.events.relay import relay_once
    from govstat.platform.settings import get_settings

    settings = get_settings()
    producer = make_producer(settings)
    await producer.start()
    cursor = ClaimCursor()

    async def work() -> None:
        while await relay_once(producer, settings, cursor=cursor):
            pass

    try:
        await _timed("relay", n, work)
    finally:
        await producer.stop()


async def consume(n: int, module: str) -> None:
    from govstat.gateway.billing.usage import BillableUsageConsumer
    from govstat.gateway.sla.consumers import SlaConsumer
    from govstat.ops.consumers import UsageRollupConsumer
    from govstat.platform.events.shared import share_fetches
    from govstat.platform.settings import get_settings

    (shared,) = share_fetches([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])
    stop, started = asyncio.Event(), asyncio.Event()
    apply_poll = shared._apply_poll

    async def first_poll(consumer: Any, batches: dict[Any, list[Any]]) -> None:
        if batches:
            started.set()
        await apply_poll(consumer, batches)

    shared._apply_poll = first_poll  # type: ignore[method-assign]
    task = asyncio.create_task(shared.run(get_settings(), stop))
    await started.wait()

    async def work() -> None:
        while await _counted(module) < n:
            await asyncio.sleep(0.02)

    try:
        await _timed("consume", n, work)
    finally:
        stop.set()
        await task


async def main(opts: argparse.Namespace) -> None:
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.events.topics import ensure_topics
    from govstat.platform.settings import get_settings

    await start_pool()
    await ensure_topics(get_settings())
    try:
        for _ in range(opts.repeat):
            module = f"s{uuid.uuid4().hex[:8]}"
            await drain(opts.events, module)
            await relay(opts.events)
            await consume(opts.events, module)
    finally:
        await close_pool()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    asyncio.run(main(parser.parse_args()))

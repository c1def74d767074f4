"""Each stage of the usage events path alone (issue 15 §3): where the pipeline's time goes.

  drain:   N events already in the Redis stream -> the outbox (gateway/metering.py drain_once)
  relay:   N rows already in the outbox -> Kafka (platform/events/relay.py relay_once)
  consume: N events already in Kafka -> the usage topic's shared consumer (events/shared.py)

Each stage runs in this process with nothing else of the path running; for each: seconds, events/s,
and CPU microseconds per event of this process and of the PostgreSQL backends of the benchmark
database. Needs the benchmark database and Kafka (`bench/run_all.py --only events_stages.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.events_pipeline import _counted, _cpu, _cpu_line, _events  # noqa: E402
from bench.summary import figure  # noqa: E402


async def _timed(name: str, n: int, work) -> None:  # type: ignore[no-untyped-def]
    import os

    before = await _cpu({"bench": os.getpid()})
    t0 = time.perf_counter()
    await work()
    took = time.perf_counter() - t0
    print(f"  {name:8s} {n:,} events in {took:5.2f} s ({n / took:8,.0f} events/s); {_cpu_line(before, await _cpu({'bench': os.getpid()}), n)}")
    figure("events stages", f"{name} events/s", n / took)


async def main(opts: argparse.Namespace) -> None:
    from govstat.gateway.metering import STREAM, Completions, drain_once, settle_all
    from govstat.platform.cache import redis_client
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.events.claim import ClaimCursor
    from govstat.platform.events.kafka import make_producer
    from govstat.platform.events.relay import relay_once
    from govstat.platform.events.shared import share_fetches
    from govstat.platform.events.topics import ensure_topics
    from govstat.platform.settings import get_settings
    from govstat.ops.consumers import UsageRollupConsumer
    from govstat.gateway.billing.usage import BillableUsageConsumer
    from govstat.gateway.sla.consumers import SlaConsumer

    n, settings = opts.events, get_settings()
    await start_pool()
    await ensure_topics(settings)
    redis = redis_client()
    try:
        for _ in range(opts.repeat):
            module = f"s{uuid.uuid4().hex[:8]}"
            writer = Completions(redis)
            for event in _events(n, module):
                writer.add(event)
            await settle_all()
            assert await redis.xlen(STREAM) >= n

            async def drain() -> None:
                while await drain_once(redis):
                    pass

            await _timed("drain", n, drain)
            producer = make_producer(settings)
            await producer.start()
            try:
                cursor = ClaimCursor()

                async def relay() -> None:
                    while await relay_once(producer, settings, cursor=cursor):
                        pass

                await _timed("relay", n, relay)
            finally:
                await producer.stop()
            (shared,) = share_fetches([UsageRollupConsumer(), SlaConsumer(), BillableUsageConsumer()])
            stop = asyncio.Event()

            started: list[float] = []
            apply_poll = shared._apply_poll

            async def first_poll(consumer, batches):  # type: ignore[no-untyped-def]
                if batches and not started:
                    started.append(time.perf_counter())  # joined: the group's join is not the stage's time
                await apply_poll(consumer, batches)

            shared._apply_poll = first_poll  # type: ignore[method-assign]
            task = asyncio.create_task(shared.run(settings, stop))
            while not started:
                await asyncio.sleep(0.01)

            async def consume() -> None:
                while await _counted(module) < n:
                    await asyncio.sleep(0.02)
                stop.set()
                await task

            await _timed("consume", n, consume)
    finally:
        await close_pool()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    asyncio.run(main(parser.parse_args()))

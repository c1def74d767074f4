"""Events from the gateway to the dashboards (issue 15 §3): N usage events through govstat's path
against raw aiokafka on the same broker.

  govstat: the gateway's usage writer (Completions: the Redis stream) -> the drainer (stream to
           the PostgreSQL outbox) -> the relay (outbox to Kafka) -> ops' usage rollup consumer
           (Kafka to usage_minute), timed from the first write until the read model counts all N;
  raw:     the same N encoded events produced with aiokafka (idempotent, acks=all, as the relay's
           producer) to a topic of their own and consumed by one aiokafka consumer, timed from
           the first send until the last message is read.

Prints events/s for each and the ratio (goal >= 0.5); then writes events at a steady rate
(--rate, default 1,000/s, for --seconds) and prints the lag from each write (a call's answer) to
the read model counting it, p50 and p99 (goal: p99 under 2 s). Needs the benchmark database and Kafka.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.summary import figure


def _events(n: int, module: str) -> list:
    from govstat.platform.events.envelope import UsagePayload, new_event

    return [
        new_event(UsagePayload(module=module, operation="bench.read", principal_kind="public", units=3, latency_ms=4.2))
        for _ in range(n)
    ]


async def _counted(module: str) -> int:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    async with UnitOfWork(Scope.system("bench")) as uow:
        return int(await uow.fetchval("SELECT coalesce(sum(calls), 0) FROM usage_minute WHERE module = $1", module))


async def _stages(module: str, t0: float, every: float) -> None:
    """Every `every` seconds: what waits in the stream, in the outbox, and what the read model counts."""
    from govstat.gateway.metering import STREAM
    from govstat.platform.cache import redis_client
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    while True:
        await asyncio.sleep(every)
        async with UnitOfWork(Scope.system("bench")) as uow:
            pending = await uow.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        stream = await redis_client().xlen(STREAM)
        print(
            f"  {time.perf_counter() - t0:5.1f} s: stream {stream}, outbox unsent {pending}, counted {await _counted(module)}"
        )


@contextlib.asynccontextmanager
async def _pipeline() -> AsyncIterator[tuple[Any, str]]:
    """The relay, the rollup consumer and the drainer running, warmed up (the consumer joined and
    the topics exist before any clock starts); yields the usage writer and a fresh module name."""
    from govstat.gateway.metering import Completions, run_drain
    from govstat.ops.consumers import UsageRollupConsumer
    from govstat.platform.cache import redis_client
    from govstat.platform.events.relay import run_relay
    from govstat.platform.settings import get_settings

    settings = get_settings()
    module = f"b{uuid.uuid4().hex[:8]}"
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(UsageRollupConsumer().run(settings, stop)),
        asyncio.create_task(run_drain(redis_client(), stop, "bench-drain")),
    ]
    try:
        writer = Completions(redis_client())
        writer.add(_events(1, f"w{module[1:]}")[0])
        while await _counted(f"w{module[1:]}") < 1:
            await asyncio.sleep(0.2)
        yield writer, module
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def govstat_path(n: int, every: float = 1.0) -> float:
    async with _pipeline() as (writer, module):
        events = _events(n, module)
        t0 = time.perf_counter()
        for event in events:
            writer.add(event)
            if len(writer._batch) >= 200:
                await asyncio.sleep(0)  # as requests would: the writer runs between them
        stages = asyncio.create_task(_stages(module, t0, every))
        while await _counted(module) < n:
            await asyncio.sleep(0.05)
        stages.cancel()
        return time.perf_counter() - t0


async def lag_run(rate: int, seconds: int, every: float = 1.0) -> list[float]:
    """Events written at a steady `rate` per second for `seconds`; each one's lag from its write
    (the call's answer) to the read model counting it, read every 50 ms."""
    n = rate * seconds
    async with _pipeline() as (writer, module):
        events, written, seen = _events(n, module), [], []

        async def poll() -> None:
            while True:
                seen.append((time.perf_counter(), await _counted(module)))
                await asyncio.sleep(0.05)

        poller = asyncio.create_task(poll())
        t0 = time.perf_counter()
        stages = asyncio.create_task(_stages(module, t0, every))
        while len(written) < n:
            due = min(int((time.perf_counter() - t0) * rate) + 1, n)
            for event in events[len(written) : due]:
                writer.add(event)
                written.append(time.perf_counter())
            await asyncio.sleep(0.005)
        deadline = time.perf_counter() + 120
        while (not seen or seen[-1][1] < n) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        poller.cancel()
        stages.cancel()
    lags, at = [], 0
    for k in range(0, n, max(n // 500, 1)):
        while at < len(seen) and seen[at][1] < k + 1:
            at += 1
        if at == len(seen):
            break
        lags.append(seen[at][0] - written[k])
    return lags


async def raw_path(n: int) -> float:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    from govstat.platform.events.envelope import encode
    from govstat.platform.settings import get_settings

    settings = get_settings()
    topic = f"{settings.kafka_topic_prefix}raw{uuid.uuid4().hex[:6]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()
    payloads = [encode(e) for e in _events(n, "raw")]
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap, enable_idempotence=True, acks="all", linger_ms=5
    )
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=settings.kafka_bootstrap, group_id=f"raw-{topic}", auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    try:
        t0 = time.perf_counter()
        sent = [await producer.send(topic, p) for p in payloads]
        await asyncio.gather(*sent)
        got = 0
        while got < n:
            batches = await consumer.getmany(timeout_ms=500, max_records=1000)
            got += sum(len(m) for m in batches.values())
        return time.perf_counter() - t0
    finally:
        await producer.stop()
        await consumer.stop()


async def main(n: int, rate: int, seconds: int, every: float, repeat: int) -> None:
    """`repeat` pairs (raw, then govstat, side by side in time), the median pair by ratio: on a
    shared machine one pair alone swings with the neighbours' load."""
    from govstat.platform.db.engine import close_pool, start_pool

    await start_pool()
    pairs = []
    try:
        for _ in range(repeat):
            raw, ours = await raw_path(n), await govstat_path(n, every)
            pairs.append((raw / ours, raw, ours))
            print(f"  pair: raw {n / raw:8,.0f} events/s, govstat {n / ours:8,.0f} events/s, ratio {raw / ours:.2f}")
        lags = await lag_run(rate, seconds, every) if rate else []
    finally:
        await close_pool()
    ratio, raw, ours = sorted(pairs)[len(pairs) // 2]
    print(f"{n:,} usage events (the median of {repeat} pairs)")
    print(f"raw aiokafka produce + consume:                      {raw:6.2f} s  ({n / raw:8,.0f} events/s)")
    print(f"govstat: writer, stream, drainer, outbox, relay, Kafka, rollup: {ours:6.2f} s  ({n / ours:8,.0f} events/s)")
    print(f"govstat / raw throughput = {ratio:.2f} (goal >= 0.5)")
    figure("events", "raw aiokafka events/s", n / raw)
    figure("events", "govstat pipeline events/s", n / ours)
    figure("events", "govstat / raw throughput", ratio, "x", ">= 0.5")
    if lags:
        q = statistics.quantiles(lags, n=100)
        print(f"lag from answer to read model at {rate}/s for {seconds} s: p50 {q[49]:.2f} s, p99 {q[98]:.2f} s")
        figure("events", f"lag p99 at {rate}/s (answer to read model)", q[98], "s", "< 2")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=1000, help="steady calls per second for the lag run (0: none)")
    parser.add_argument("--seconds", type=int, default=10, help="length of the lag run")
    parser.add_argument("--stages-every", type=float, default=1.0, help="seconds between stage printouts")
    parser.add_argument("--repeat", type=int, default=3, help="raw/govstat pairs; the median pair is reported")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.rate, args.seconds, args.stages_every, args.repeat))

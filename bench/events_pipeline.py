"""Events from the gateway to the dashboards (issue 15 §3): N usage events through govstat's path
against raw aiokafka on the same broker.

  govstat: the gateway's usage writer (Completions: the Redis stream) -> the drainer (stream to
           the PostgreSQL outbox) -> the relay (outbox to Kafka) -> ops' usage rollup consumer
           (Kafka to usage_minute), timed from the first write until the read model counts all N;
  raw:     the same N encoded events produced with aiokafka (idempotent, acks=all, as the relay's
           producer) to a topic of their own and consumed by one aiokafka consumer, timed from
           the first send until the last message is read.

Prints events/s for each and the ratio (goal >= 0.5). Needs the benchmark database and Kafka.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

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


async def _stages(module: str, t0: float) -> None:
    """Every second: what waits in the stream, in the outbox, and what the read model counts."""
    from govstat.gateway.metering import STREAM
    from govstat.platform.cache import redis_client
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    while True:
        await asyncio.sleep(1)
        async with UnitOfWork(Scope.system("bench")) as uow:
            pending = await uow.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        stream = await redis_client().xlen(STREAM)
        print(
            f"  {time.perf_counter() - t0:5.1f} s: stream {stream}, outbox unsent {pending}, counted {await _counted(module)}"
        )


async def govstat_path(n: int) -> float:
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
        warm = _events(1, f"w{module[1:]}")  # the consumer joined and the topics exist before the clock starts
        writer = Completions(redis_client())
        writer.add(warm[0])
        while await _counted(f"w{module[1:]}") < 1:
            await asyncio.sleep(0.2)
        events = _events(n, module)
        t0 = time.perf_counter()
        for event in events:
            writer.add(event)
            if len(writer._batch) >= 200:
                await asyncio.sleep(0)  # as requests would: the writer runs between them
        stages = asyncio.create_task(_stages(module, t0))
        while await _counted(module) < n:
            await asyncio.sleep(0.05)
        stages.cancel()
        return time.perf_counter() - t0
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


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


async def main(n: int) -> None:
    from govstat.platform.db.engine import close_pool, start_pool

    await start_pool()
    try:
        raw = await raw_path(n)
        ours = await govstat_path(n)
    finally:
        await close_pool()
    ratio = raw / ours
    print(f"{n:,} usage events")
    print(f"raw aiokafka produce + consume:                      {raw:6.2f} s  ({n / raw:8,.0f} events/s)")
    print(f"govstat: writer, stream, drainer, outbox, relay, Kafka, rollup: {ours:6.2f} s  ({n / ours:8,.0f} events/s)")
    print(f"govstat / raw throughput = {ratio:.2f} (goal >= 0.5)")
    figure("events", "raw aiokafka events/s", n / raw)
    figure("events", "govstat pipeline events/s", n / ours)
    figure("events", "govstat / raw throughput", ratio, "x", ">= 0.5")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    asyncio.run(main(parser.parse_args().events))

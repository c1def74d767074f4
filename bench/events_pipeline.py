"""Events from the gateway to the dashboards (issue 15 §3): N usage events through govstat's path
against raw aiokafka on the same broker.

  govstat: the gateway's usage writer (Completions: the Redis stream, in this process) -> the
           drainer and the relay (`govstat relay`, a process of its own as in production: stream
           to the PostgreSQL outbox, outbox to Kafka) -> the usage rollup consumer (a process of
           its own: `govstat monitor` with every consumer, or the rollup alone) -> usage_minute,
           timed from the first write until the read model counts all N;
  raw:     the same N encoded events produced with aiokafka (idempotent, acks=all, as the relay's
           producer) to a topic of their own and consumed by one aiokafka consumer, already joined,
           timed from the first send until the last message is read.

One unmeasured warm-up pair, then --repeat pairs of --events each (default 50,000: enough that
poll intervals and fetch waits do not dominate); the median pair by ratio is reported (goal
>= 0.5). Then events at a steady rate (--rate, default 1,000/s, for --seconds): the lag from each
write (a call's answer) to the read model counting it, p50 and p99 (goal: p99 under 2 s).
Needs the benchmark database and Kafka (bench/run_all.py sets them up).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.summary import figure  # noqa: E402


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


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc; 0 where it is gone or unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of the benchmark, the relay and consumer processes, and the PostgreSQL
    backends connected to the benchmark's database (the pools': they live through the run)."""
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    async with UnitOfWork(Scope.system("bench")) as uow:
        backends = await uow.fetch("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    used = {name: _cpu_seconds(pid) for name, pid in pids.items()}
    used["postgres"] = sum(_cpu_seconds(r["pid"]) for r in backends)
    return used


def _cpu_line(before: dict[str, float], after: dict[str, float], n: int) -> str:
    return ", ".join(f"{k} {1e6 * (after[k] - before.get(k, 0.0)) / n:.0f}" for k in after) + " us CPU per event"


@contextlib.contextmanager
def _processes(consumers: str) -> Iterator[dict[str, int]]:
    """`govstat relay` and the consumers' process, as production runs them, for the whole run."""
    root = [sys.executable, "-m", "govstat.platform.root"]
    consumer = [*root, "monitor"] if consumers == "monitor" else [sys.executable, __file__, "--rollup-process"]
    procs = [subprocess.Popen(cmd, cwd=ROOT) for cmd in ([*root, "relay"], consumer)]
    try:
        yield {"bench": os.getpid(), "relay": procs[0].pid, consumers: procs[1].pid}
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.asynccontextmanager
async def _pipeline() -> AsyncIterator[tuple[Any, str]]:
    """The usage writer, with one event through the whole path first (the relay and the consumer
    running and joined); yields the writer and a fresh module name."""
    from govstat.gateway.completions import Completions
    from govstat.platform.cache import redis_client

    module = f"b{uuid.uuid4().hex[:8]}"
    writer = Completions(redis_client())
    writer.add(_events(1, f"w{module[1:]}")[0])
    deadline = time.perf_counter() + 120
    while await _counted(f"w{module[1:]}") < 1:
        if time.perf_counter() > deadline:
            raise SystemExit("the relay and consumer processes moved nothing in 120 s")
        await asyncio.sleep(0.1)
    yield writer, module


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
            if time.perf_counter() - t0 > 600:
                raise SystemExit("the read model did not count every event in 600 s (is Kafka up?)")
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
        while not consumer.assignment():  # joined before the clock starts, as govstat's consumer is
            await consumer.getmany(timeout_ms=100)
        t0 = time.perf_counter()
        sent = [await producer.send(topic, p) for p in payloads]
        await asyncio.gather(*sent)
        got = 0
        while got < n:
            batches = await consumer.getmany(timeout_ms=500, max_records=2000)
            got += sum(len(m) for m in batches.values())
        return time.perf_counter() - t0
    finally:
        await producer.stop()
        await consumer.stop()


async def rollup_process() -> None:
    """The usage rollup consumer alone, in a process of its own (`--consumers rollup`)."""
    from govstat.ops.consumers import UsageRollupConsumer
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.settings import get_settings

    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await start_pool()
    try:
        await UsageRollupConsumer().run(get_settings(), stop)
    finally:
        await close_pool()


async def main(opts: argparse.Namespace) -> None:
    """A warm-up pair, then `repeat` pairs (raw, then govstat, side by side in time); the median
    pair by ratio: on a shared machine one pair alone swings with the neighbours' load."""
    from govstat.platform.db.engine import close_pool, start_pool

    n, every = opts.events, opts.stages_every
    await start_pool()
    pairs = []
    try:
        with _processes(opts.consumers) as pids:
            warm = min(n, 5000)
            raw, ours = await raw_path(warm), await govstat_path(warm, every)
            print(f"  warm-up ({warm:,}): raw {warm / raw:8,.0f} events/s, govstat {warm / ours:8,.0f} events/s")
            for _ in range(opts.repeat):
                raw, before = await raw_path(n), await _cpu(pids)
                ours = await govstat_path(n, every)
                pairs.append((raw / ours, raw, ours))
                print(
                    f"  pair: raw {n / raw:8,.0f} events/s, govstat {n / ours:8,.0f} events/s, ratio {raw / ours:.2f}"
                )
                print(f"    govstat: {_cpu_line(before, await _cpu(pids), n)}")
            lags = await lag_run(opts.rate, opts.seconds, every) if opts.rate else []
    finally:
        await close_pool()
    ratio, raw, ours = sorted(pairs)[len(pairs) // 2]
    print(f"{n:,} usage events (the median of {opts.repeat} pairs after a warm-up; consumers: {opts.consumers})")
    print(f"raw aiokafka produce + consume:                      {raw:6.2f} s  ({n / raw:8,.0f} events/s)")
    print(f"govstat: writer, stream, drainer, outbox, relay, Kafka, rollup: {ours:6.2f} s  ({n / ours:8,.0f} events/s)")
    print(f"govstat / raw throughput = {ratio:.2f} (goal >= 0.5)")
    figure("events", "raw aiokafka events/s", n / raw)
    figure("events", "govstat pipeline events/s", n / ours)
    figure("events", "govstat / raw throughput", ratio, "x", ">= 0.5")
    if lags:
        q = statistics.quantiles(lags, n=100)
        print(
            f"lag from answer to read model at {opts.rate}/s for {opts.seconds} s: p50 {q[49]:.2f} s, p99 {q[98]:.2f} s"
        )
        figure("events", f"lag p99 at {opts.rate}/s (answer to read model)", q[98], "s", "< 2")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=1000, help="steady calls per second for the lag run (0: none)")
    parser.add_argument("--seconds", type=int, default=10, help="length of the lag run")
    parser.add_argument("--stages-every", type=float, default=2.0, help="seconds between stage printouts")
    parser.add_argument("--repeat", type=int, default=3, help="raw/govstat pairs; the median pair is reported")
    parser.add_argument(
        "--consumers",
        choices=("monitor", "rollup"),
        default="monitor",
        help="the consumers' process: `govstat monitor` (every consumer, as in production) or the rollup alone",
    )
    parser.add_argument("--rollup-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.rollup_process:  # stopped: the relay and consumer processes are stopped too (the finally)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    asyncio.run(rollup_process() if args.rollup_process else main(args))

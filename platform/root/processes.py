"""Long-running processes: worker, relay, monitor; and the `up` supervisor."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import subprocess
import sys
import time
from typing import Any

from govstat.platform.catalog import Catalog
from govstat.platform.settings import Settings

log = logging.getLogger("govstat.processes")


def settle_heap() -> None:
    """After start-up: the modules, routes and Structs imported stay for the process's life, so
    they leave the garbage collector's generations (gc.freeze). Without it every full collection,
    which a stream of decoded events triggers, walks the ~165,000 objects of the whole catalog:
    decoding 50,000 events took 2-3 times as long in the monitor as in a bare process. The web
    app does the same at start-up (platform/root/app.py): there a full collection walked ~240,000
    objects, 0.3-0.5 s during which no request is answered."""
    gc.collect()
    gc.freeze()


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def run_relay_process(settings: Settings) -> None:
    """The outbox relay plus the usage-stream drainer (both feed Kafka through the outbox)."""
    from govstat.gateway.usage_drain import run_drain
    from govstat.platform.cache import redis_client
    from govstat.platform.events.direct import Publisher
    from govstat.platform.events.relay import run_relay
    from govstat.platform.resilience import quiet_reconnect_logs, start_pool_patiently, watch_kafka

    quiet_reconnect_logs()
    stop = _stop_event()
    await start_pool_patiently(stop)
    settle_heap()
    await asyncio.gather(
        run_relay(settings, stop),
        # the drainer sends the usage events to Kafka itself, on their way into the outbox
        run_drain(
            redis_client(), stop, f"drain-{os.getpid()}", Publisher(settings), settings.usage_sweep_interval_seconds
        ),
        watch_kafka(settings.kafka_bootstrap, stop),
    )


async def run_monitor_process(settings: Settings, catalog: Catalog) -> None:
    """Every module's consumers (the parts' read models and the subsystems', e.g. estat's releases)."""
    from govstat.platform.events.shared import share_fetches
    from govstat.platform.resilience import quiet_reconnect_logs, start_pool_patiently, watch_kafka
    from govstat.platform.root.events import event_decoder

    quiet_reconnect_logs()
    stop = _stop_event()
    await start_pool_patiently(stop)
    decoder = event_decoder()  # every module's domain events, in one union
    settle_heap()
    await asyncio.gather(
        watch_kafka(settings.kafka_bootstrap, stop),
        # the batched read models of one topic share one Kafka consumer (events/shared.py)
        *(c.run(settings, stop, decoder) for c in share_fetches(c(catalog) for c in catalog.consumers)),
    )


def worker_settings(settings: Settings, catalog: Catalog) -> dict[str, Any]:
    from govstat.platform.jobs.worker import build_worker_settings

    return build_worker_settings(settings, catalog.jobs, catalog=catalog)


def run_worker(settings: Settings, catalog: Catalog) -> None:
    from govstat.platform.jobs.resilient import run_worker_until_stopped

    asyncio.run(run_worker_until_stopped(worker_settings(settings, catalog), _stop_event))


def supervise(commands: dict[str, list[str]], *, max_backoff: float = 30.0) -> int:
    """Start every command and keep it running: a child that exits is restarted after a backoff
    (1 s, 2 s, 4 s, ... up to `max_backoff`; back to 1 s once it ran a minute), logged with its
    restart count; the others go on. Ctrl-C or SIGTERM stops them all."""
    procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    print("govstat: started " + ", ".join(f"{n} (pid {p.pid})" for n, p in procs.items()), flush=True)
    restarts = {name: 0 for name in commands}  # counted for good
    level = {name: 0 for name in commands}  # backoff step: 0 again after a child ran a minute
    started = {name: time.monotonic() for name in commands}
    due: dict[str, float] = {}  # name -> when to restart it
    stopping = False

    def stop_all(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    try:
        while not stopping:
            now = time.monotonic()
            for name, proc in procs.items():
                if name in due or proc.poll() is None:
                    continue
                if now - started[name] >= 60:
                    level[name] = 0
                delay = min(2.0 ** level[name], max_backoff)
                level[name] += 1
                due[name] = now + delay
                print(
                    f"govstat: {name} (pid {proc.pid}) exited with {proc.returncode}; restart"
                    f" #{sum(restarts.values()) + 1} ({name}: #{restarts[name] + 1}) in {delay:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
            for name, when in list(due.items()):
                if when <= now and not stopping:
                    del due[name]
                    restarts[name] += 1
                    procs[name] = subprocess.Popen(commands[name])
                    started[name] = time.monotonic()
                    print(f"govstat: restarted {name} (pid {procs[name].pid}; restarts: {restarts[name]})", flush=True)
            time.sleep(0.2)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.time() + 15
        for proc in procs.values():
            try:
                proc.wait(timeout=max(deadline - time.time(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
        total = sum(restarts.values())
        print(
            f"govstat: stopped (restarts: {total}" + "".join(f", {n} {c}" for n, c in restarts.items() if c) + ")",
            flush=True,
        )
    return 0

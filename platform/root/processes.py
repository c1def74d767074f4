"""Long-running processes: worker, relay, monitor; and the `up` supervisor."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time

from govstat.platform.settings import Settings

log = logging.getLogger("govstat.processes")


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def run_relay_process(settings: Settings) -> None:
    """The outbox relay plus the usage-stream drainer (both feed Kafka through the outbox)."""
    from govstat.platform.cache import redis_client
    from govstat.platform.db.engine import start_pool
    from govstat.platform.events.relay import run_relay
    from govstat.gateway.metering import run_drain

    await start_pool()
    stop = _stop_event()
    await asyncio.gather(run_relay(settings, stop), run_drain(redis_client(), stop, f"drain-{os.getpid()}"))


async def run_monitor_process(settings: Settings) -> None:
    from govstat.platform.db.engine import start_pool
    from govstat.gateway.module import CONSUMERS as GATEWAY_CONSUMERS
    from govstat.ops.module import CONSUMERS
    from govstat.platform.subsystems.registry import MODULES

    await start_pool()
    stop = _stop_event()
    module_consumers = tuple(c for m in MODULES for c in m.consumers)  # subsystems' read models (e.g. estat's releases)
    await asyncio.gather(*(c().run(settings, stop) for c in (*CONSUMERS, *GATEWAY_CONSUMERS, *module_consumers)))


def worker_settings(settings: Settings) -> dict:
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.jobs.worker import build_worker_settings
    from govstat.platform.root.app import all_modules

    async def startup(ctx) -> None:
        await start_pool()

    async def shutdown(ctx) -> None:
        await close_pool()

    specs = [spec for m in all_modules() for spec in m.jobs]
    return build_worker_settings(settings, specs, on_startup=startup, on_shutdown=shutdown)


def run_worker(settings: Settings) -> None:
    from arq.worker import Worker

    asyncio.set_event_loop(asyncio.new_event_loop())
    Worker(**worker_settings(settings)).run()


def supervise(commands: dict[str, list[str]]) -> int:
    """Start every command, stop them all on Ctrl-C or when one dies."""
    procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    print("govstat: started " + ", ".join(f"{n} (pid {p.pid})" for n, p in procs.items()), flush=True)
    stopping = False

    def stop_all(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    code = 0
    try:
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"govstat: {name} exited with {proc.returncode}; stopping the rest", file=sys.stderr)
                    stopping, code = True, proc.returncode or 1
                    break
            time.sleep(0.3)
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
        print("govstat: stopped", flush=True)
    return code

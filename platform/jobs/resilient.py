"""The arq worker kept alive across Redis (and PostgreSQL) outages.

arq's Worker ends its main loop on the first Redis error and `govstat worker` used to exit
with it. Here a worker that fails for an outage is closed and a new one started after a
backoff; the outage is logged once and counted (platform/resilience.py). Jobs interrupted by
the outage run again (arq's in-progress key expires; jobs are idempotent by job id).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from govstat.platform.resilience import (
    Backoff,
    is_outage,
    outage_failed,
    outage_over,
    quiet_reconnect_logs,
    sleep_or_stop,
    start_pool_patiently,
)

if TYPE_CHECKING:
    from arq.worker import Worker

log = logging.getLogger("govstat.worker")
HEALTHY_AFTER_SECONDS = 5.0


async def run_worker_until_stopped(worker_kwargs: dict[str, Any], make_stop: Callable[[], asyncio.Event]) -> None:
    from arq.worker import Worker

    from govstat.platform.db.engine import close_pool

    quiet_reconnect_logs()
    stop = make_stop()
    await start_pool_patiently(stop)
    backoff = Backoff()
    try:
        while not stop.is_set():
            worker = Worker(**worker_kwargs, handle_signals=False)
            main = asyncio.create_task(worker.async_run())
            stopper = asyncio.create_task(stop.wait())
            while not main.done() and not stop.is_set():
                await asyncio.wait({main, stopper}, timeout=HEALTHY_AFTER_SECONDS, return_when=asyncio.FIRST_COMPLETED)
                if not main.done() and worker._pool is not None:
                    outage_over("worker", "redis")  # connected and polling: any outage is over
                    backoff.reset()
            stopper.cancel()
            failure = None if not main.done() or main.cancelled() else main.exception()
            await _close(worker, main)
            if stop.is_set():
                break
            if failure is not None and is_outage(failure):
                outage_failed("worker", failure, "redis")
            elif failure is not None:
                log.error("worker stopped on an unexpected error; starting again", exc_info=failure)
            await sleep_or_stop(stop, backoff.next())
    finally:
        await close_pool()


async def _close(worker: Worker, main: asyncio.Task[Any]) -> None:
    """Stop a worker without waiting on a Redis that may be gone (arq's close() would)."""
    tasks = list(worker.tasks.values())
    for task in (*tasks, main):
        task.cancel()
    await asyncio.gather(*tasks, main, return_exceptions=True)
    pool, worker._pool = worker._pool, None
    if pool is not None:
        try:
            await asyncio.wait_for(pool.delete(worker.health_check_key), 2)
        except Exception:
            pass
        try:
            await pool.close(close_connection_pool=True)
        except Exception:
            pass

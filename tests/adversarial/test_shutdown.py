"""Stopping the server never waits forever for hung requests (issue 8): `govstat serve` gives
in-flight requests GRACEFUL_SHUTDOWN_SECONDS, then cancels them, and close_pool terminates what is
left. Before, Ctrl-C/SIGTERM waited as long as the stuck requests did (for ever, in the deadlock)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time

import asyncpg
import httpx

from tests.support.server import AppProcess

LIMIT = 22  # seconds: the 10 s grace period (cli.GRACEFUL_SHUTDOWN_SECONDS), then close_pool, and a margin


async def test_sigterm_stops_the_server_within_the_grace_period_while_requests_hang():
    server = AppProcess().start()
    owner = await asyncpg.connect(os.environ["GOVSTAT_MIGRATION_DATABASE_URL"])
    tx = owner.transaction()
    await tx.start()
    try:
        # Every reader of the area codes waits for this lock (longer than the grace period).
        await owner.execute("LOCK TABLE area_version IN ACCESS EXCLUSIVE MODE")
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as c:
            hung = [asyncio.create_task(c.get("/area/codes/01236")) for _ in range(3)]
            await asyncio.sleep(1.5)
            assert not any(t.done() for t in hung)
            started = time.monotonic()
            server.proc.terminate()
            try:
                await asyncio.to_thread(server.proc.wait, LIMIT)
            except subprocess.TimeoutExpired:
                raise AssertionError("the server still waits for its hung requests") from None
            assert time.monotonic() - started < LIMIT
            await asyncio.gather(*hung, return_exceptions=True)
    finally:
        await tx.rollback()
        await owner.close()
        server.kill()

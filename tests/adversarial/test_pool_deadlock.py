"""The finding behind issue 8: 25 anonymous readers of one statistic's page deadlocked the server.

Each request's unit of work held a pooled connection while the page's contact lookup waited for a
second one; with the pool full of such requests nobody got the second, and every page that needs
the database hung until the process was killed. This runs the real server with a small pool.
"""
from __future__ import annotations

import asyncio
import time

import httpx

from tests.support.server import AppProcess

PAGE = "/estat/statistics/00200521"


async def test_25_concurrent_readers_of_a_statistic_page_never_deadlock_the_pool():
    app = AppProcess(env={"GOVSTAT_DB_POOL_MIN": "1", "GOVSTAT_DB_POOL_MAX": "4"}).start()
    try:
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=app.url, timeout=20, limits=limits) as c:
            async def one() -> tuple[int, str | None]:
                try:
                    r = await c.get(PAGE)
                except httpx.TimeoutException:
                    return 0, None  # hung: the deadlock
                return r.status_code, r.headers.get("retry-after")

            answers = await asyncio.gather(*(one() for _ in range(25)))
            hung = sum(1 for status, _ in answers if status == 0)
            assert hung == 0, f"{hung} of 25 requests hung"
            assert all(s == 200 or (s == 503 and ra) for s, ra in answers), answers
            assert sum(1 for s, _ in answers if s == 200) >= 3
            # and the server is not left stuck: the next reader is served at once
            for path in ("/readyz", PAGE):
                started = time.monotonic()
                r = await c.get(path, timeout=5)
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
                assert time.monotonic() - started < 2, path
    finally:
        app.stop()

"""Test session set-up: a fresh database migrated by `govstat migrate`, a private Redis
database and Kafka topic prefix, all on the real local services (make test starts them).

The environment is set before any govstat module is imported, because settings
are read once at import.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Separate names let several test sessions share the local services without clobbering each other.
TEST_DB = os.environ.pop("GOVSTAT_TEST_DB", "govstat_test")
TEST_REDIS_DB = os.environ.pop("GOVSTAT_TEST_REDIS_DB", "1")
RUN_ID = secrets.token_hex(3)

# The ports the local service scripts use (GOVSTAT_*_PORT lets a second stack run beside the first).
PG_PORT = os.environ.get("GOVSTAT_PG_PORT", "5432")
REDIS_PORT = os.environ.get("GOVSTAT_REDIS_PORT", "6379")
KAFKA_PORT = os.environ.get("GOVSTAT_KAFKA_PORT", "9092")

os.environ.update(
    {
        "GOVSTAT_ENV": "test",
        "GOVSTAT_DATABASE_URL": f"postgresql://govstat_app:govstat_app@127.0.0.1:{PG_PORT}/{TEST_DB}",
        "GOVSTAT_MIGRATION_DATABASE_URL": f"postgresql://govstat_owner:govstat_owner@127.0.0.1:{PG_PORT}/{TEST_DB}",
        "GOVSTAT_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/{TEST_REDIS_DB}",
        "GOVSTAT_KAFKA_BOOTSTRAP": f"127.0.0.1:{KAFKA_PORT}",
        "GOVSTAT_KAFKA_TOPIC_PREFIX": f"test{RUN_ID}.",
        "GOVSTAT_KAFKA_PARTITIONS": "2",
        "GOVSTAT_LOG_LEVEL": "WARNING",
        "GOVSTAT_SECRET_KEY": "test-secret-key-0123456789abcdef",
        "GOVSTAT_DB_POOL_MAX": "20",
    }
)

import pytest  # noqa: E402
import pytest_asyncio  # noqa: E402

from tests.support.services import as_owner, govstat_cli, recreate_test_database  # noqa: E402


def pytest_sessionstart(session) -> None:
    if session.config.option.collectonly:  # listing the tests must not recreate a running session's database
        return
    recreate_test_database(TEST_DB)
    govstat_cli("migrate")
    govstat_cli("seed", "--demo", "--no-history")  # the year of demo usage: tests/platform/test_demo_history.py
    asyncio.run(_roomy_public_limits())


async def _roomy_public_limits() -> None:
    """All of a session's real-server and browser tests call from 127.0.0.1: the anonymous and
    public plans are widened so that they never limit each other. The rate-limit tests use plans
    of their own."""
    await as_owner(
        "UPDATE fee_plan SET rate_quota = 1000000, rate_burst = 100000 WHERE code IN ('anonymous', 'public')"
    )


@pytest_asyncio.fixture(scope="session", autouse=True)
async def _platform():
    """The DB pool and Redis for the whole session, on the session event loop."""
    from govstat.platform.cache import close_redis, redis_client
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.jobs.queue import close_job_pool

    await start_pool()
    await redis_client().flushdb()
    yield
    await close_job_pool()
    await close_redis()
    await close_pool()


@pytest.fixture(scope="session")
def app():
    from govstat.platform.root.app import create_app

    return create_app()


@pytest_asyncio.fixture
async def client(app):
    """An HTTP client on the real app, in process and on the session's event loop, with a fresh cookie jar.

    (The session fixture already started the pool, so the app's lifespan is not run here.)"""
    import random

    import httpx

    # Each test is its own caller: anonymous rate limits count per address, and the session's tests
    # together would otherwise exhaust one address's allowance.
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c


@pytest_asyncio.fixture
async def running():
    """Kafka's topics made; (stop, tasks): consumers or relays a test starts in `tasks`, stopped at its end."""
    from govstat.platform.events.topics import ensure_topics
    from govstat.platform.settings import get_settings

    await ensure_topics(get_settings())
    stop, tasks = asyncio.Event(), []
    yield stop, tasks
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=30)


@pytest.fixture(scope="module")
def server():
    """A real app process (tests/support/server.py) for the module's tests, stopped after the last."""
    from tests.support.server import AppProcess, running

    with running(AppProcess()) as (app_process,):
        yield app_process


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


__all__ = ["subprocess", "sys"]

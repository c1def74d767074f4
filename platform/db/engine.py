"""The one Piccolo engine. The app connects as a role that owns no tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from piccolo.engine.postgres import PostgresEngine

from govstat.platform.errors import Unavailable
from govstat.platform.settings import get_settings

if TYPE_CHECKING:
    from asyncpg import Connection, Record
    from asyncpg.pool import PoolConnectionProxy
    from opentelemetry.metrics import Counter


class Engine(PostgresEngine):
    """Piccolo's engine, except that a query outside any unit of work waits for a pooled connection
    only GOVSTAT_DB_ACQUIRE_TIMEOUT_SECONDS and never while its request or task holds one."""

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None) -> list[Record]:
        from govstat.platform.db import guard

        guard.check_bare_query()
        connection = await acquire()
        try:
            return await connection.fetch(query, *(args or []))
        finally:
            assert self.pool is not None  # Piccolo runs a query in the pool only once it started
            await self.pool.release(cast("PoolConnectionProxy[Record]", connection))


def make_engine(dsn: str) -> PostgresEngine:
    # extensions=(): the app role may not create extensions; migrations do.
    return Engine(config={"dsn": dsn}, extensions=())


async def acquire(timeout: float | None = None) -> Connection:
    """A connection from the pool within the acquire timeout (or a new one before the pool starts).
    The pool exhausted answers 503 with Retry-After, never a request that waits forever.
    (The pool's proxy answers every method of a Connection, so it is typed as one.)"""

    import asyncpg

    try:
        if DB.pool is None:
            return await DB.get_new_connection()
        proxy = await DB.pool.acquire(timeout=timeout or get_settings().db_acquire_timeout_seconds)
        return cast("Connection", proxy)
    except TimeoutError as exc:
        _exhausted().add(1)
        raise Unavailable(
            "混み合っています。しばらくしてから再度お試しください / busy, try again shortly"
            " (no free database connection)"
        ) from exc
    except (OSError, asyncpg.PostgresConnectionError) as exc:
        raise Unavailable(f"database unavailable: {exc}") from exc


_counter: Counter | None = None


def _exhausted() -> Counter:
    global _counter
    if _counter is None:
        from govstat.platform.telemetry import meter

        _counter = meter().create_counter(
            "govstat_db_pool_exhausted", description="requests that found no free database connection in time"
        )
    return _counter


DB = make_engine(get_settings().database_url)


def use_dsn(dsn: str) -> None:
    """Point the engine at another role/database before the pool starts (migrations, tests)."""
    if DB.pool is not None:
        raise RuntimeError("use_dsn() after the pool started")
    DB.config = {"dsn": dsn}


async def start_pool() -> None:
    from govstat.platform.db import replicas
    from govstat.platform.db.commit import pool_reset

    s = get_settings()
    if DB.pool is None:
        # reset=: a unit of work's COMMIT carries the session reset (commit.py), the pool skips it then
        await DB.start_connection_pool(min_size=s.db_pool_min, max_size=s.db_pool_max, reset=pool_reset)
        await replicas.start(primary_lsn=primary_lsn)  # GOVSTAT_DATABASE_REPLICA_URLS, for public reads


async def primary_lsn() -> int:
    """The primary's WAL position now (a pooled connection, a moment): the replicas' lag is told by it."""
    from govstat.platform.db import replica_lag

    connection = await acquire(replica_lag.QUERY_TIMEOUT_SECONDS)
    try:
        return int(await connection.fetchval(replica_lag.PRIMARY_LSN, timeout=replica_lag.QUERY_TIMEOUT_SECONDS))
    finally:
        if DB.pool is not None:
            await DB.pool.release(cast("PoolConnectionProxy[Record]", connection))
        else:
            await connection.close()


async def close_pool(timeout: float = 10.0) -> None:
    """Close the pool; connections still checked out after `timeout` are terminated, so a
    stuck request never keeps the process from stopping."""
    import asyncio

    from govstat.platform.db import replicas

    await replicas.close(timeout)
    if DB.pool is None:
        return
    try:
        await asyncio.wait_for(DB.pool.close(), timeout)
    except TimeoutError:
        DB.pool.terminate()
    DB.pool = None

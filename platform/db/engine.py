"""The one Piccolo engine. The app connects as a role that owns no tables."""
from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

from govstat.platform.settings import get_settings


def make_engine(dsn: str) -> PostgresEngine:
    # extensions=(): the app role may not create extensions; migrations do.
    return PostgresEngine(config={"dsn": dsn}, extensions=())


DB = make_engine(get_settings().database_url)


def use_dsn(dsn: str) -> None:
    """Point the engine at another role/database before the pool starts (migrations, tests)."""
    if DB.pool is not None:
        raise RuntimeError("use_dsn() after the pool started")
    DB.config = {"dsn": dsn}


async def start_pool() -> None:
    s = get_settings()
    if DB.pool is None:
        await DB.start_connection_pool(min_size=s.db_pool_min, max_size=s.db_pool_max)


async def close_pool(timeout: float = 10.0) -> None:
    """Close the pool; connections still checked out after `timeout` are terminated, so a
    stuck request never keeps the process from stopping."""
    import asyncio

    if DB.pool is None:
        return
    try:
        await asyncio.wait_for(DB.pool.close(), timeout)
    except asyncio.TimeoutError:
        DB.pool.terminate()
    DB.pool = None

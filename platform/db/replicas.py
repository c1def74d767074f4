"""Public reads on PostgreSQL hot-standby replicas (issue 15 §5, docs/scaling.md).

GOVSTAT_DATABASE_REPLICA_URLS names the replicas (streaming replication from the primary that
GOVSTAT_DATABASE_URL names). A read-only unit of work (`UnitOfWork.for_reads`, chosen by
platform/web/deps.py for public GET routes) takes its connection here, the replicas in turn; every
other unit of work writes on the primary. A replica that does not answer is left out for
DOWN_SECONDS and the read goes to the primary meanwhile: a replica's failure costs capacity, never
an answer. The replicas hold the same roles, policies and settings as the primary (a physical copy),
so the app role reads through the same row-level security there.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import TYPE_CHECKING, cast

import asyncpg

from govstat.platform.settings import get_settings

if TYPE_CHECKING:
    from asyncpg import Connection, Pool

log = logging.getLogger("govstat.db.replicas")
DOWN_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 2.0


class _Replica:
    def __init__(self, url: str, pool: Pool) -> None:
        self.url, self.pool = url, pool
        self.down_until = 0.0


_replicas: list[_Replica] = []
_turn = itertools.count()


def configured_urls() -> list[str]:
    return [u.strip() for u in get_settings().database_replica_urls.split(",") if u.strip()]


async def start(urls: list[str] | None = None) -> None:
    """One pool per replica. min_size=0: a replica that is down when the process starts only
    makes its reads go to the primary until it answers."""
    s = get_settings()
    for url in configured_urls() if urls is None else urls:
        pool = await asyncpg.create_pool(url, min_size=0, max_size=s.db_pool_max, timeout=CONNECT_TIMEOUT_SECONDS)
        _replicas.append(_Replica(url, pool))


async def close(timeout: float = 10.0) -> None:
    import asyncio

    while _replicas:
        replica = _replicas.pop()
        try:
            await asyncio.wait_for(replica.pool.close(), timeout)
        except TimeoutError:
            replica.pool.terminate()


def active() -> bool:
    return bool(_replicas)


async def acquire_read(timeout: float | None = None) -> tuple[Connection, Pool] | None:
    """A replica's connection for reads and the pool it came from; None: read on the primary."""
    now = time.monotonic()
    for _ in range(len(_replicas)):
        replica = _replicas[next(_turn) % len(_replicas)]
        if replica.down_until > now:
            continue
        try:
            proxy = await replica.pool.acquire(timeout=timeout or get_settings().db_acquire_timeout_seconds)
            return cast("Connection", proxy), replica.pool
        except TimeoutError:
            log.warning("replica %s: no free connection in time; reading from the primary", _safe(replica.url))
        except (OSError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError) as exc:
            replica.down_until = now + DOWN_SECONDS
            log.warning(
                "replica %s unavailable (%s); reads go to the primary for %ss", _safe(replica.url), exc, DOWN_SECONDS
            )
    return None


def _safe(url: str) -> str:
    """The URL without its password, for logs."""
    _, at, tail = url.rpartition("@")
    return ("…@" + tail) if at else url

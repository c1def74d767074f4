"""Public reads on PostgreSQL hot-standby replicas (issue 15 §5, docs/scaling.md).

GOVSTAT_DATABASE_REPLICA_URLS names the replicas (streaming replication from the primary that
GOVSTAT_DATABASE_URL names). A read-only unit of work (`UnitOfWork.for_reads`, chosen by
platform/web/deps.py for public GET routes) takes its connection here, the replicas in turn; every
other unit of work writes on the primary. A replica that does not answer is left out for
DOWN_SECONDS and the read goes to the primary meanwhile: a replica's failure costs capacity, never
an answer. So does one that dies under a read: the unit of work whose replica connection is lost
before it has handed back any row starts again on the primary, once (uow.py, failover.py), and the
replica leaves the rotation for DOWN_SECONDS (`lost`). A replica more than GOVSTAT_REPLICA_MAX_LAG_MS behind is left out too, until it catches up
(replica_lag.py samples each replica's lag a few times a second per process), and a read that must
see a given commit (read-your-writes, platform/web/read_after.py) takes only a replica that has
replayed it. The replicas hold the same roles, policies and settings as the primary (a physical copy),
so the app role reads through the same row-level security there.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from typing import TYPE_CHECKING, cast

import asyncpg

from govstat.platform.db import replica_lag
from govstat.platform.db.replica_lag import safe_url as _safe
from govstat.platform.settings import get_settings

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from asyncpg import Connection, Pool

log = logging.getLogger("govstat.db.replicas")
DOWN_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 2.0


class _Replica:
    def __init__(self, url: str, pool: Pool) -> None:
        self.url, self.pool = url, pool
        self.down_until = 0.0
        # set by the lag sampler (replica_lag.py); until its first check a replica is presumed current
        self.replayed = -1
        self.lag_ms = 0.0
        self.in_rotation = True


_replicas: list[_Replica] = []
_turn = itertools.count()
_sampler: asyncio.Task[None] | None = None
_observed = False


def configured_urls() -> list[str]:
    return [u.strip() for u in get_settings().database_replica_urls.split(",") if u.strip()]


async def start(
    urls: list[str] | None = None,
    *,
    primary_lsn: Callable[[], Awaitable[int]] | None = None,
    max_lag_ms: int | None = None,
    check_ms: int | None = None,
) -> None:
    """One pool per replica, and (given how to ask the primary its WAL position: engine.primary_lsn)
    the task that samples their lag. min_size=0: a replica that is down when the process starts only
    makes its reads go to the primary until it answers."""
    global _sampler, _observed
    s = get_settings()
    for url in configured_urls() if urls is None else urls:
        pool = await asyncpg.create_pool(url, min_size=0, max_size=s.db_pool_max, timeout=CONNECT_TIMEOUT_SECONDS)
        _replicas.append(_Replica(url, pool))
    if _replicas and _sampler is None and primary_lsn is not None:
        sampler = replica_lag.Sampler(max_lag_ms or s.replica_max_lag_ms, check_ms or s.replica_lag_check_ms)
        _sampler = asyncio.get_running_loop().create_task(sampler.run(_replicas, primary_lsn))
        if not _observed:
            replica_lag.observe(lambda: list(_replicas))
            _observed = True


async def commit_lsn(connection: Connection) -> int | None:
    """The primary's WAL position just after a commit on `connection` (at or past its commit record);
    None if it cannot tell (the commit stands all the same)."""
    try:
        return int(await connection.fetchval(replica_lag.PRIMARY_LSN, timeout=replica_lag.QUERY_TIMEOUT_SECONDS))
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return None


def status() -> list[dict[str, object]]:
    """Each replica as the last check saw it (tests, /ops); `down`: left out after a failure."""
    now = time.monotonic()
    return [
        {
            "replica": _safe(r.url),
            "lag_ms": r.lag_ms,
            "in_rotation": r.in_rotation,
            "replayed": r.replayed,
            "down": r.down_until > now,
        }
        for r in _replicas
    ]


async def lost(pool: Pool, exc: BaseException) -> None:
    """A read on `pool`'s replica lost its connection: the replica is left out for DOWN_SECONDS, as one
    that refuses connections is, and the pool's idle connections, likely dead too, are reopened when
    next taken."""
    for replica in _replicas:
        if replica.pool is pool:
            replica.down_until = time.monotonic() + DOWN_SECONDS
            log.warning(
                "replica %s lost a read's connection (%s: %s); reads go to the primary for %ss",
                _safe(replica.url),
                type(exc).__name__,
                exc,
                DOWN_SECONDS,
            )
            await pool.expire_connections()


async def close(timeout: float = 10.0) -> None:
    global _sampler
    if _sampler is not None:
        _sampler.cancel()
        await asyncio.gather(_sampler, return_exceptions=True)
        _sampler = None
    while _replicas:
        replica = _replicas.pop()
        try:
            await asyncio.wait_for(replica.pool.close(), timeout)
        except TimeoutError:
            replica.pool.terminate()


def active() -> bool:
    return bool(_replicas)


async def acquire_read(timeout: float | None = None, *, after_lsn: int = 0) -> tuple[Connection, Pool] | None:
    """A replica's connection for reads and the pool it came from; None: read on the primary.
    Only replicas in rotation (answering, within the lag limit) and, with `after_lsn`, that had
    replayed that WAL position at their last check."""
    now = time.monotonic()
    for _ in range(len(_replicas)):
        replica = _replicas[next(_turn) % len(_replicas)]
        if replica.down_until > now or not replica.in_rotation or (after_lsn and replica.replayed < after_lsn):
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

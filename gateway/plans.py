"""Fee plans: rate limits and fees per plan (table fee_plan), cached briefly in each process.

Every request needs its plan before the handler runs. When the cache expires under a crowd, one
request reloads it while the rest go on with the values they have (stale by seconds), and a failed
reload (pool exhausted, database away) keeps them too: otherwise each request of the crowd would
queue for a connection of its own just to read a table that rarely changes (issue 8).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time

from govstat.gateway.ratelimit import Limit
from govstat.gateway.rows import PlanLimitRow
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

CACHE_SECONDS = 30.0
FALLBACK = Limit(120, 60, 20)  # a plan row missing: the strictest sensible limit, never unlimited
log = logging.getLogger("govstat.gateway")

_cache: dict[str, Limit] = {}
_loaded_at = 0.0
_loading: asyncio.Task | None = None


def cached_limit(code: str) -> Limit | None:
    """The plan's limit while the cache is fresh (no await: the gateway's every call); None: ask
    `plan_limit`, which reloads."""
    if _cache and time.monotonic() - _loaded_at <= CACHE_SECONDS:
        return _cache.get(code, FALLBACK)
    return None


async def plan_limit(code: str) -> Limit:
    global _loading
    if time.monotonic() - _loaded_at > CACHE_SECONDS:
        if _loading is None or _loading.done():
            # its own empty context: not one of the request's units of work (see platform/db/guard.py)
            _loading = asyncio.get_running_loop().create_task(_reload(), context=contextvars.Context())
        if not _cache:
            await asyncio.shield(_loading)  # nothing to go on yet: wait for the first load (errors propagate)
    return _cache.get(code, FALLBACK)


async def _reload() -> None:
    global _loaded_at
    try:
        async with UnitOfWork(Scope.system("gateway")) as uow:
            rows = await uow.rows(
                PlanLimitRow, "SELECT code, rate_quota, rate_window_seconds, rate_burst FROM fee_plan"
            )
    except Exception:
        if not _cache:
            raise
        log.warning("fee plans not reloaded; keeping the cached ones", exc_info=True)
        return
    _cache.clear()
    _cache.update({r.code: Limit(r.rate_quota, r.rate_window_seconds, r.rate_burst) for r in rows})
    _loaded_at = time.monotonic()


def forget() -> None:
    """The next request loads the plans afresh (and waits for them)."""
    global _loaded_at
    _loaded_at = 0.0
    _cache.clear()

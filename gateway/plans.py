"""Fee plans: rate limits and fees per plan (table fee_plan), cached briefly in each process."""
from __future__ import annotations

import time

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.gateway.ratelimit import Limit

CACHE_SECONDS = 30.0
FALLBACK = Limit(120, 60, 20)   # a plan row missing: the strictest sensible limit, never unlimited

_cache: dict[str, Limit] = {}
_loaded_at = 0.0


async def plan_limit(code: str) -> Limit:
    global _loaded_at
    if time.monotonic() - _loaded_at > CACHE_SECONDS:
        async with UnitOfWork(Scope.system("gateway")) as uow:
            rows = await uow.fetch("SELECT code, rate_quota, rate_window_seconds, rate_burst FROM fee_plan")
        _cache.clear()
        _cache.update({r["code"]: Limit(r["rate_quota"], r["rate_window_seconds"], r["rate_burst"]) for r in rows})
        _loaded_at = time.monotonic()
    return _cache.get(code, FALLBACK)


def forget() -> None:
    global _loaded_at
    _loaded_at = 0.0

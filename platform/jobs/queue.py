"""The process-wide arq pool used to enqueue jobs from requests and commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govstat.platform.settings import get_settings

if TYPE_CHECKING:
    from arq.connections import ArqRedis

_pool: ArqRedis | None = None


async def job_pool() -> ArqRedis:
    global _pool
    if _pool is None:
        from govstat.platform.jobs.worker import create_job_pool

        _pool = await create_job_pool(get_settings())
    return _pool


async def close_job_pool() -> None:
    global _pool
    if _pool is not None:
        await _pool.aclose()
        _pool = None

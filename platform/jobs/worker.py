"""The arq worker settings, built from the jobs that modules declare."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import msgspec
from arq import cron, func
from arq.connections import ArqRedis, RedisSettings

from govstat.platform.catalog import Catalog
from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, deserialize, serialize
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.platform.telemetry import tracer


def job_scope(spec: JobSpec[Any], args: JobArgs) -> Scope:
    """The scope a job runs in: its tenant's, or the system's when the spec declares it."""
    actor = f"job:{args.job_id}"
    if spec.scope == "system":
        return Scope.system(actor)
    if args.tenant_id is None:
        raise ValueError(f"{spec.name} is a tenant job: its arguments need a tenant_id")
    return Scope.tenant(args.tenant_id, role="agency", actor=actor)


async def run_job(spec: JobSpec[Any], raw_ctx: dict[str, Any], args: JobArgs, catalog: Catalog | None = None) -> Any:
    """Run one job in its scope; a tenant job's unit of work commits when the job returns."""
    scope = job_scope(spec, args)
    if spec.scope == "system" or not spec.one_transaction:
        return await spec.fn(JobContext(raw_ctx, scope=scope, catalog=catalog), args)
    async with UnitOfWork(scope) as uow:
        return await spec.fn(JobContext(raw_ctx, scope=scope, uow=uow, catalog=catalog), args)


def _runner(spec: JobSpec[Any], catalog: Catalog | None) -> Callable[..., Coroutine[Any, Any, Any]]:
    async def run(ctx: dict[str, Any], raw: Any = None) -> Any:
        args = spec.cron_args() if raw is None and spec.cron_args else msgspec.convert(raw, spec.args_type)
        with tracer().start_as_current_span(
            f"job {spec.name}",
            attributes={"govstat.tenant_id": str(args.tenant_id or ""), "govstat.job_id": args.job_id},
        ):
            return await run_job(spec, ctx, args, catalog)

    run.__qualname__ = run.__name__ = spec.name.replace(".", "_")
    return run


def redis_settings(settings: Settings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.redis_url)


def build_worker_settings(
    settings: Settings,
    specs: Sequence[JobSpec[Any]],
    *,
    catalog: Catalog | None = None,
    on_startup: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    on_shutdown: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """`catalog`: the modules, handed to every job as `ctx.catalog` (the worker's composition root gives it)."""
    functions = [func(_runner(s, catalog), name=s.name, timeout=s.timeout_seconds) for s in specs]
    crons = [
        cron(_runner(s, catalog), name=f"cron:{s.name}", run_at_startup=False, unique=True, **s.cron)
        for s in specs
        if s.cron
    ]
    return {
        "functions": functions,
        "cron_jobs": crons,
        "redis_settings": redis_settings(settings),
        "job_serializer": serialize,
        "job_deserializer": deserialize,
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "keep_result": 3600,
        "max_jobs": 10,
        "timezone": JST,  # JST: cron times are Japanese office hours
    }


async def create_job_pool(settings: Settings) -> ArqRedis:
    from arq import create_pool

    return await create_pool(redis_settings(settings), job_serializer=serialize, job_deserializer=deserialize)

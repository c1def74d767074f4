"""The arq worker settings, built from the jobs that modules declare."""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import msgspec
from arq import cron, func
from arq.connections import RedisSettings

from govstat.platform.jobs.spec import JobContext, JobSpec, deserialize, serialize
from govstat.platform.settings import Settings
from govstat.platform.telemetry import tracer


def _runner(spec: JobSpec):
    async def run(ctx: dict[str, Any], raw: Any = None) -> Any:
        args = spec.cron_args() if raw is None and spec.cron_args else msgspec.convert(raw, spec.args_type)
        with tracer().start_as_current_span(f"job {spec.name}", attributes={
            "govstat.tenant_id": str(args.tenant_id or ""), "govstat.job_id": args.job_id}):
            return await spec.fn(JobContext(ctx), args)

    run.__qualname__ = run.__name__ = spec.name.replace(".", "_")
    return run


def redis_settings(settings: Settings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.redis_url)


def build_worker_settings(settings: Settings, specs: Sequence[JobSpec], on_startup=None, on_shutdown=None) -> dict[str, Any]:
    functions = [func(_runner(s), name=s.name, timeout=s.timeout_seconds) for s in specs]
    crons = [cron(_runner(s), name=f"cron:{s.name}", run_at_startup=False, unique=True, **s.cron)
             for s in specs if s.cron]
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
        "timezone": dt.timezone(dt.timedelta(hours=9)),  # JST: cron times are Japanese office hours
    }


async def create_job_pool(settings: Settings):
    from arq import create_pool

    return await create_pool(redis_settings(settings), job_serializer=serialize, job_deserializer=deserialize)

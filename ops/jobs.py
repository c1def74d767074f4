"""Platform housekeeping jobs run by the worker."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events import health, retention
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings


class CleanupArgs(JobArgs):
    keep_days: int = 7


async def outbox_cleanup(ctx: JobContext, args: CleanupArgs) -> int:
    """Delete relayed outbox rows older than keep_days (Kafka and the read models hold them)."""
    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        return await health.purge_outbox(uow, args.keep_days)


OUTBOX_CLEANUP = JobSpec(
    name="ops.outbox_cleanup",
    fn=outbox_cleanup,
    args_type=CleanupArgs,
    cron={"hour": {3}, "minute": {15}},
    cron_args=lambda: CleanupArgs(job_id="ops.outbox_cleanup:cron"),
    scope="system",
)


class MarkerCleanupArgs(JobArgs):
    pass


async def marker_cleanup(ctx: JobContext, args: MarkerCleanupArgs) -> int:
    """Delete the consumers' duplicate markers past any redelivery of their events (how long that is,
    and why: platform/events/retention.py); how many. A run stopped by its time limit leaves the
    rest to the next hour's."""
    pruned = await retention.prune_expired_markers(get_settings())
    return pruned.markers if pruned else 0


MARKER_CLEANUP = JobSpec(
    name="ops.marker_cleanup",
    fn=marker_cleanup,
    args_type=MarkerCleanupArgs,
    cron={"minute": {25}},  # hourly: each run deletes about an hour's markers, in small batches
    cron_args=lambda: MarkerCleanupArgs(job_id="ops.marker_cleanup:cron"),
    scope="system",
)

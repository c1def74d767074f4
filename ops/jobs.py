"""Platform housekeeping jobs run by the worker."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events import health
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope


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

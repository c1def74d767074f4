"""Jobs of the on-site system: purge the datasets past their retention date, every night."""

from __future__ import annotations

import logging

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope

log = logging.getLogger("govstat.onsite")


class RetentionArgs(JobArgs):
    pass


async def retention_job(ctx: JobContext, args: RetentionArgs) -> list[str]:
    """Idempotent: a purged dataset is skipped; a failed run rolls back and the next night's does it."""
    from govstat.platform.subsystems.onsite.datasets import purge_expired

    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        ids = await purge_expired(uow)
    if ids:
        log.info("onsite: purged %s", [str(i) for i in ids])
    return [str(i) for i in ids]


RETENTION_JOB = JobSpec(
    name="onsite.retention",
    fn=retention_job,
    args_type=RetentionArgs,
    cron={"hour": {18}, "minute": {5}, "second": {0}},  # 03:05 JST
    cron_args=lambda: RetentionArgs(job_id="onsite.retention:cron"),
    scope="system",
)

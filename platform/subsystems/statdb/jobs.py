"""Jobs of the statdb module: publish what is due, every minute (never before publish_at)."""

from __future__ import annotations

import logging

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope

log = logging.getLogger("govstat.statdb")


class PublishArgs(JobArgs):
    pass


async def publish_due_job(ctx: JobContext, args: PublishArgs) -> list[str]:
    """Idempotent: it publishes only rows still scheduled and due, in one transaction with their
    audit events; if the worker dies half-way nothing is half-published and the next minute redoes it."""
    from govstat.platform.subsystems.statdb.service import publish_due

    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        rows = await publish_due(uow)
    if rows:
        log.info("statdb: published %s", [r.stats_data_id for r in rows])
    return [r.stats_data_id for r in rows]


PUBLISH_JOB = JobSpec(
    name="statdb.publish_due",
    fn=publish_due_job,
    args_type=PublishArgs,
    cron={"second": {0}},
    cron_args=lambda: PublishArgs(job_id="statdb.publish_due:cron"),
    scope="system",
)

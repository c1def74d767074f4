"""Jobs of the tables module: publish the table files that are due, every minute."""

from __future__ import annotations

import logging

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope

log = logging.getLogger("govstat.tables")


class PublishArgs(JobArgs):
    pass


async def publish_due_job(ctx: JobContext, args: PublishArgs) -> list[str]:
    """Publishes files whose publish_at has come (never earlier: the condition is in the UPDATE, and
    row-level security hides them from the public until then anyway) and the database tables handed
    over from them, in one transaction. Idempotent: run twice, it publishes once; if the worker dies,
    the transaction rolls back and the next minute's run does it."""
    from govstat.platform.subsystems.tables.service import publish_due

    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        rows = await publish_due(uow)
    if rows:
        log.info("tables: published %s", [str(r.id) for r in rows])
    return [str(r.id) for r in rows]


PUBLISH_JOB = JobSpec(
    name="tables.publish_due",
    fn=publish_due_job,
    args_type=PublishArgs,
    cron={"second": {0}},
    cron_args=lambda: PublishArgs(job_id="tables.publish_due:cron"),
    scope="system",
)

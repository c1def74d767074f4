"""The replication check every minute (ops/monitoring/replication.py), at second 45: apart from the
SLA's probe (second 0) and burn-rate evaluation (second 30)."""

from __future__ import annotations

import logging

from govstat.ops.monitoring.replication import check
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope

log = logging.getLogger("govstat.ops.replication")
EVERY_MINUTE = set(range(60))


class ReplicationArgs(JobArgs):
    pass


async def replication_job(ctx: JobContext, args: ReplicationArgs) -> dict[str, object]:
    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        outcome = await check(uow, ctx.need_catalog())
    if outcome.action == "unknown":
        log.warning("replication check: the figures are unknown this time (%s)", outcome.health.error)
    elif outcome.action in ("started", "resolved"):
        log.warning("replication alert %s: %s", outcome.action, [f.text for f in outcome.findings])
    return {"action": outcome.action, "findings": len(outcome.findings)}


REPLICATION_CHECK = JobSpec(
    name="ops.replication_check",
    fn=replication_job,
    args_type=ReplicationArgs,
    cron={"minute": EVERY_MINUTE, "second": {45}},
    cron_args=lambda: ReplicationArgs(job_id="ops.replication_check:cron"),
    scope="system",
)

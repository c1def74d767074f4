"""The SLA's scheduled jobs: a synthetic probe and a burn-rate evaluation every minute."""

from __future__ import annotations

import logging

from govstat.gateway.sla.alerts import evaluate
from govstat.gateway.sla.probe import TIMEOUT_SECONDS, probe_once
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec

log = logging.getLogger("govstat.sla")
EVERY_MINUTE = set(range(60))


class ProbeArgs(JobArgs):
    base_url: str = ""  # empty: GOVSTAT_BASE_URL (settings.base_url)


class BurnRateArgs(JobArgs):
    pass


async def probe_job(ctx: JobContext, args: ProbeArgs) -> dict[str, int]:
    results = await probe_once(ctx.need_catalog().subsystems, args.base_url or None)
    return {r.module: r.status for r in results}


async def burn_rate_job(ctx: JobContext, args: BurnRateArgs) -> dict[str, str]:
    results = await evaluate(ctx.need_catalog(), actor=f"job:{args.job_id}")
    for r in results:
        if r.action in ("started", "escalated", "resolved"):
            log.warning("SLA alert %s for %s (%s): burn rates %s", r.action, r.module, r.rule or "-", r.burn)
    return {r.module: r.action for r in results}


PROBE_JOB = JobSpec(
    name="gateway.probe",
    fn=probe_job,
    args_type=ProbeArgs,
    cron={"minute": EVERY_MINUTE},
    cron_args=lambda: ProbeArgs(job_id="gateway.probe:cron"),
    timeout_seconds=int(TIMEOUT_SECONDS) + 25,
    scope="system",
)
# At second 30: the probes sent at second 0 have had time to pass relay -> Kafka -> consumer.
BURN_RATE_JOB = JobSpec(
    name="gateway.burn_rate",
    fn=burn_rate_job,
    args_type=BurnRateArgs,
    cron={"minute": EVERY_MINUTE, "second": {30}},
    cron_args=lambda: BurnRateArgs(job_id="gateway.burn_rate:cron"),
    timeout_seconds=50,
    scope="system",
)

JOBS = (PROBE_JOB, BURN_RATE_JOB)

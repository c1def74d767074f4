"""E-mail to the affected agencies' contact persons (GOV-12), sent by the arq worker.

One job per incident, step (detected / recovered) and tenant, with an idempotent job id. It sends
one e-mail per pending delivery row (the tenant's current primary and deputy contacts, fixed when
the incident was detected or recovered), marks each row sent or failed with its attempts, and asks
arq to retry while any failed. A sweep every few minutes re-enqueues deliveries that are still
pending (an enqueue lost with Redis) or failed (after arq's tries are spent).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

import aiosmtplib
from arq import Retry

from govstat.ops.incidents.rows import INCIDENT_COLUMNS, DeliveryWork, IncidentRow, PendingDelivery
from govstat.ops.incidents.texts import email_text
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue
from govstat.platform.mail import build_message, send_mail
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings

log = logging.getLogger("govstat.ops.incidents.notify")

RETRY_BASE_SECONDS = 10.0  # arq retries after 10 s, 20 s, 30 s, ... (tests make it short)
MAX_ATTEMPTS = 12  # the sweep gives up on a delivery after this many attempts


class NotifyArgs(JobArgs):
    incident_id: uuid.UUID
    step: str  # detected | recovered


class SweepArgs(JobArgs):
    older_than_seconds: int = 120


def job_id(incident_id: uuid.UUID, step: str, tenant_id: uuid.UUID) -> str:
    return f"ops.incident_notify:{incident_id}:{step}:{tenant_id}"


async def send_notifications(ctx: JobContext, args: NotifyArgs) -> dict[str, int]:
    """Send the tenant's unsent e-mails of one incident step; retry (arq) while any fails."""
    if args.tenant_id is None:
        raise ValueError("ops.incident_notify needs a tenant")
    # the worker's tenant scope for this job (one transaction per delivery: each e-mail stands alone)
    scope = ctx.scope or Scope.tenant(args.tenant_id, role="agency", actor=f"job:{args.job_id}")
    async with UnitOfWork(scope) as uow:
        ids: list[uuid.UUID] = await uow.fetchval(
            "SELECT coalesce(array_agg(id ORDER BY contact_role DESC), '{}') FROM incident_notification"
            " WHERE incident_id = $1 AND step = $2 AND tenant_id = $3 AND status <> 'sent'",
            args.incident_id,
            args.step,
            args.tenant_id,
        )
    sent = failed = 0
    catalog = ctx.need_catalog()
    for delivery_id in ids:
        outcome = await _deliver(scope, catalog, delivery_id)
        sent += outcome == "sent"
        failed += outcome == "failed"
    if failed:
        try_no = int(ctx.raw.get("job_try", 1) or 1)
        log.warning(
            "incident %s %s: %d e-mail(s) to tenant %s failed (try %d)",
            args.incident_id,
            args.step,
            failed,
            args.tenant_id,
            try_no,
        )
        raise Retry(defer=RETRY_BASE_SECONDS * try_no)
    return {"sent": sent, "failed": failed}


async def _deliver(scope: Scope, catalog: Catalog, delivery_id: uuid.UUID) -> str:
    """One delivery in its own transaction; the row stays locked while its e-mail is handed over,
    so two runs never send it twice."""
    async with UnitOfWork(scope) as uow:
        row = await uow.row(
            PendingDelivery,
            "SELECT n.id, n.incident_id, n.step, n.contact_role, n.email, t.name_ja AS tenant_name"
            " FROM incident_notification n JOIN directory_tenant t ON t.id = n.tenant_id"
            " WHERE n.id = $1 AND n.status <> 'sent' FOR UPDATE OF n SKIP LOCKED",
            delivery_id,
        )
        if row is None:
            return "skipped"
        incident = await uow.one(IncidentRow, f"SELECT {INCIDENT_COLUMNS} FROM incident WHERE id = $1", row.incident_id)
        subject, body = email_text(
            catalog,
            incident,
            row.step,
            tenant_name=row.tenant_name,
            contact_role=row.contact_role,
            base_url=get_settings().base_url,
        )
        message = build_message(to=row.email, subject=subject, body=body, delivery_id=row.id)
        try:
            await send_mail(message)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            await uow.execute(
                "UPDATE incident_notification SET status = 'failed', attempts = attempts + 1,"
                " last_error = $2, updated_at = now() WHERE id = $1",
                delivery_id,
                str(exc)[:1000],
            )
            return "failed"
        await uow.execute(
            "UPDATE incident_notification SET status = 'sent', attempts = attempts + 1,"
            " last_error = '', sent_at = now(), updated_at = now() WHERE id = $1",
            delivery_id,
        )
        return "sent"


async def enqueue_notifications(work: Iterable[tuple[uuid.UUID, str, uuid.UUID]]) -> int:
    """Enqueue one job per (incident, step, tenant); an id already queued is a no-op."""
    from govstat.platform.jobs.queue import job_pool

    pool = await job_pool()
    queued = 0
    for incident_id, step, tenant_id in work:
        job = await enqueue(
            pool,
            NOTIFY,
            NotifyArgs(
                job_id=job_id(incident_id, step, tenant_id), tenant_id=tenant_id, incident_id=incident_id, step=step
            ),
        )
        queued += job is not None
    return queued


async def sweep(ctx: JobContext, args: SweepArgs) -> int:
    """Re-enqueue deliveries still pending after a while, or failed with attempts left."""
    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        work = await uow.rows(
            DeliveryWork,
            "SELECT DISTINCT incident_id, step, tenant_id FROM incident_notification WHERE"
            " (status = 'pending' AND created_at < now() - make_interval(secs => $1))"
            " OR (status = 'failed' AND attempts < $2)",
            args.older_than_seconds,
            MAX_ATTEMPTS,
        )
    return await enqueue_notifications([(w.incident_id, w.step, w.tenant_id) for w in work])


NOTIFY = JobSpec(
    name="ops.incident_notify",
    fn=send_notifications,
    args_type=NotifyArgs,
    timeout_seconds=300,
    scope="tenant",
    one_transaction=False,
)
SWEEP = JobSpec(
    name="ops.incident_notify_sweep",
    fn=sweep,
    args_type=SweepArgs,
    cron={"minute": set(range(0, 60, 5))},
    cron_args=lambda: SweepArgs(job_id="ops.incident_notify_sweep:cron"),
    scope="system",
)

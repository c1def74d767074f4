"""E-mail for important notices (PORTAL-1), sent by the worker through the platform's mail
(platform/mail.py: aiosmtplib to the configured SMTP server). Every minute, each important notice
that is published and not yet mailed gets one delivery row per recipient (the current primary and
deputy contacts of the tenants it is addressed to), and each row is sent once in its own
transaction; a failed one is tried again next minute, and the notice counts as mailed when none is
left. Notices to intermediaries or the public have no contact list: they are shown, not mailed."""

from __future__ import annotations

import logging
import uuid

import aiosmtplib

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.mail import build_message, send_mail
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings

log = logging.getLogger("govstat.portal.notify")
MAX_ATTEMPTS = 10

RECIPIENTS = """
INSERT INTO portal_notice_mail (id, notice_id, email)
SELECT gen_random_uuid(), n.id, c.email FROM portal_notice n
JOIN directory_tenant t ON (n.audience = 'tenant' AND t.id = n.audience_tenant_id)
  OR (n.audience = 'agencies' AND t.status IN ('active', 'contracted'))
JOIN directory_contact c ON c.tenant_id = t.id AND c.email <> ''
WHERE n.id = $1
ON CONFLICT (notice_id, email) DO NOTHING
"""


class MailArgs(JobArgs):
    pass


async def _send_one(scope: Scope, mail_id: uuid.UUID) -> bool:
    async with UnitOfWork(scope) as uow:
        row = await uow.fetchrow(
            "SELECT m.id, m.email, n.title, n.body FROM portal_notice_mail m JOIN portal_notice n ON n.id = m.notice_id"
            " WHERE m.id = $1 AND m.status <> 'sent' FOR UPDATE OF m SKIP LOCKED",
            mail_id,
        )
        if row is None:
            return False  # sent meanwhile by another run
        body = (
            f"{row['title']}\n\n{row['body']}\n\n"
            f"業務ポータルのお知らせ / Notice on the business portal: {get_settings().base_url}/portal/notices\n"
        )
        message = build_message(
            to=row["email"], subject=f"【重要なお知らせ】{row['title']}", body=body, delivery_id=row["id"]
        )
        try:
            await send_mail(message)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            await uow.execute(
                "UPDATE portal_notice_mail SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1",
                mail_id,
                str(exc)[:500],
            )
            return False
        await uow.execute(
            "UPDATE portal_notice_mail SET status = 'sent', attempts = attempts + 1, sent_at = now() WHERE id = $1",
            mail_id,
        )
        return True


async def mail_due(ctx: JobContext, args: MailArgs) -> int:
    """Send what is due; answers the number of e-mails sent."""
    scope = Scope.system(f"job:{args.job_id}")
    async with UnitOfWork(scope) as uow:
        due: list[uuid.UUID] = await uow.fetchval(
            "SELECT coalesce(array_agg(id), '{}') FROM portal_notice WHERE important AND mailed_at IS NULL"
            " AND withdrawn_at IS NULL AND publish_at <= now()"
        )
        for notice_id in due:
            await uow.execute(RECIPIENTS, notice_id)
        pending: list[uuid.UUID] = await uow.fetchval(
            "SELECT coalesce(array_agg(id), '{}') FROM portal_notice_mail WHERE status <> 'sent' AND attempts < $1"
            " AND notice_id = ANY($2::uuid[])",
            MAX_ATTEMPTS,
            due,
        )
    sent = 0
    for mail_id in pending:
        sent += await _send_one(scope, mail_id)
    async with UnitOfWork(scope) as uow:
        await uow.execute(
            "UPDATE portal_notice n SET mailed_at = now() WHERE n.id = ANY($1::uuid[]) AND NOT EXISTS"
            " (SELECT 1 FROM portal_notice_mail m WHERE m.notice_id = n.id AND m.status <> 'sent' AND m.attempts < $2)",
            due,
            MAX_ATTEMPTS,
        )
    if sent:
        log.info("portal: %d notice e-mail(s) sent", sent)
    return sent


MAIL_JOB = JobSpec(
    name="portal.notice_mail",
    fn=mail_due,
    args_type=MailArgs,
    cron={"second": {30}},
    cron_args=lambda: MailArgs(job_id="portal.notice_mail:cron"),
    scope="system",
)

"""ESTAT-3 新着通知: a registered user subscribes to government statistics on My page; when a table
of a subscribed statistic is published, an e-mail goes out.

When the releases consumer sees a publication come out, it writes one `estat_notification` row per
subscriber (unique per user and publication) in its own transaction, and after commit enqueues one
arq job per row with the idempotent id `estat.notify:<user>:<publication>`. The job locks its row,
hands the message to the SMTP server (aiosmtplib) and marks it sent in the same transaction, so
running it twice (a duplicate enqueue, a retry, the sweep) sends once. A failure is recorded and
retried by arq; a sweep every five minutes re-enqueues rows left pending (an enqueue lost with
Redis) or failed with attempts left.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import aiosmtplib
from arq import Retry

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue
from govstat.platform.mail import build_message, send_mail
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.portal.common import CREDIT, jst
from govstat.platform.subsystems.estat.portal.rows import Delivery, Owner, Pending, Release

log = logging.getLogger("govstat.estat.notify")

RETRY_BASE_SECONDS = 10.0
MAX_ATTEMPTS = 12
NEWS_DAYS = 3  # a publication older than this is not announced by e-mail


class NotifyArgs(JobArgs):
    owner_id: uuid.UUID
    release_key: str


class SweepArgs(JobArgs):
    older_than_seconds: int = 120


def job_id(owner_id: uuid.UUID | str, release_key: str) -> str:
    return f"estat.notify:{owner_id}:{release_key}"


async def on_published(
    uow: UnitOfWork, release_key: str, gov_stat_code: str, published_at: dt.datetime
) -> list[uuid.UUID]:
    """One delivery per active subscriber with an e-mail address who subscribed before the
    publication; jobs go out after commit. A publication older than NEWS_DAYS is not news: a
    consumer replaying the topic from its start (a new deployment) sends nothing for it."""
    if published_at < dt.datetime.now(dt.UTC) - dt.timedelta(days=NEWS_DAYS):
        return []
    rows = await uow.rows(
        Owner,
        """
        INSERT INTO estat_notification (id, owner_id, release_key, gov_stat_code, email)
        SELECT gen_random_uuid(), s.owner_id, $1, s.gov_stat_code, u.email
        FROM estat_subscription s JOIN directory_user u ON u.id = s.owner_id
        WHERE s.gov_stat_code = $2 AND s.created_at <= $3 AND u.status = 'active'
          AND u.email ~ '^[^@\\s]+@[^@\\s]+$'
        ON CONFLICT (owner_id, release_key) DO NOTHING RETURNING owner_id""",
        release_key,
        gov_stat_code,
        published_at,
    )
    owners = [r.owner_id for r in rows]
    if owners:
        uow.after_commit(lambda: enqueue_many([(o, release_key) for o in owners]))
    return owners


async def enqueue_many(work: list[tuple[uuid.UUID, str]], *, suffix: str = "") -> int:
    from govstat.platform.jobs.queue import job_pool

    pool = await job_pool()
    queued = 0
    for owner_id, key in work:
        job = await enqueue(
            pool, NOTIFY, NotifyArgs(job_id=job_id(owner_id, key) + suffix, owner_id=owner_id, release_key=key)
        )
        queued += job is not None
    return queued


def message_text(r: Release, base_url: str) -> tuple[str, str]:
    base = base_url.rstrip("/")
    link = f"{base}/estat/tables/{r.stats_data_id}" if r.stats_data_id else f"{base}/estat/files/{r.file_id}"
    revised = ":v" in r.release_key  # a correction, extension or replacement (portal/revisions.py)
    subject = f"【e-Stat {'訂正通知 / Correction' if revised else '新着通知 / New release'}】{r.stat_name}：{r.title}"
    body = "\n".join(
        [
            "政府統計の総合窓口(e-Stat)の新着通知です。登録された政府統計の統計表が"
            + ("訂正・更新されました。" if revised else "公開されました。"),
            "A table of a government statistic you subscribe to has been "
            + ("corrected or updated on e-Stat." if revised else "published on e-Stat."),
            "",
            f"政府統計 / Statistic: {r.stat_name}（{r.gov_stat_code}）",
            f"作成機関 / Agency:    {r.agency_name}",
            f"統計表 / Table:       {r.title}" + (f"（表番号 {r.table_no}）" if r.table_no else ""),
            f"公開日時 / Published: {jst(r.published_at or r.publish_at)}（日本時間 / JST）",
            f"URL: {link}",
            "",
            f"通知の停止・変更 / Stop or change notifications: {base}/estat/mypage",
            "",
            f"{CREDIT}",
        ]
    )
    return subject, body


async def deliver(ctx: JobContext, args: NotifyArgs) -> str:
    """Send one user's e-mail about one publication; the row stays locked while it is handed over."""
    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        row = await uow.row(
            Delivery,
            """
            SELECT n.id, n.email, r.* FROM estat_notification n JOIN estat_release r USING (release_key)
            WHERE n.owner_id = $1 AND n.release_key = $2 AND n.status <> 'sent'
            FOR UPDATE OF n SKIP LOCKED""",
            args.owner_id,
            args.release_key,
        )
        if row is None:
            return "skipped"  # already sent (or another run has it now)
        subject, body = message_text(row, get_settings().base_url)
        try:
            await send_mail(build_message(to=row.email, subject=subject, body=body, delivery_id=row.id))
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            await uow.execute(
                "UPDATE estat_notification SET status = 'failed', attempts = attempts + 1,"
                " last_error = $2, updated_at = now() WHERE id = $1",
                row.id,
                str(exc)[:1000],
            )
            failed = True
        else:
            await uow.execute(
                "UPDATE estat_notification SET status = 'sent', attempts = attempts + 1, last_error = '',"
                " sent_at = now(), updated_at = now() WHERE id = $1",
                row.id,
            )
            failed = False
    if failed:
        try_no = int(ctx.raw.get("job_try", 1) or 1)
        log.warning("estat notification %s failed (try %d)", args.job_id, try_no)
        raise Retry(defer=RETRY_BASE_SECONDS * try_no)
    return "sent"


async def sweep(ctx: JobContext, args: SweepArgs) -> int:
    """Re-enqueue deliveries still pending after a while, or failed with attempts left. The job id
    carries the attempt count: arq keeps a finished job's id for an hour, the row decides anyway."""
    async with UnitOfWork(Scope.system(f"job:{args.job_id}")) as uow:
        pending = await uow.rows(
            Pending,
            "SELECT owner_id, release_key, attempts FROM estat_notification WHERE"
            " (status = 'pending' AND created_at < now() - make_interval(secs => $1))"
            " OR (status = 'failed' AND attempts < $2)",
            args.older_than_seconds,
            MAX_ATTEMPTS,
        )
    queued = 0
    for p in pending:
        queued += await enqueue_many([(p.owner_id, p.release_key)], suffix=f":sweep{p.attempts}")
    return queued


NOTIFY = JobSpec(name="estat.notify", fn=deliver, args_type=NotifyArgs, timeout_seconds=120, scope="system")
SWEEP = JobSpec(
    name="estat.notify_sweep",
    fn=sweep,
    args_type=SweepArgs,
    cron={"minute": set(range(2, 60, 5))},
    cron_args=lambda: SweepArgs(job_id="estat.notify_sweep:cron"),
    scope="system",
)
JOBS = (NOTIFY, SWEEP)

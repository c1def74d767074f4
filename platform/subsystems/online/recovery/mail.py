"""The recovery link's e-mail, sent by the worker like every other mail of the platform: the page
queues a tenant job (`online.recovery_mail`, msgspec args carrying the tenant, the respondent and an
idempotent job id) and answers at once; the job makes the one-time token, keeps only its SHA-256 in
Redis, and hands the message to SMTP. A failed send discards that try's token and raises arq's Retry,
so the worker sends again later (a new token each try, the same Message-ID: the delivery id) and no
link is lost to a passing SMTP failure. The token itself is never queued, logged or stored."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid

import aiosmtplib
import msgspec
from arq import Retry

from govstat.platform.cache import redis_client
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue
from govstat.platform.mail import build_message, send_mail
from govstat.platform.settings import get_settings

log = logging.getLogger("govstat.online")
LINK_SECONDS = 30 * 60
TOKEN_KEY = "online:recovery:{}"
RETRY_BASE_SECONDS = 30.0  # the n-th failed try is sent again after n times this


class Ticket(msgspec.Struct, kw_only=True):
    respondent_id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID
    # the password it replaces (STAMP of its hash): a reissue or a change since makes the link void
    stamp: str = ""


# a fingerprint of the stored password hash (never the hash itself in Redis)
STAMP = "encode(sha256(convert_to(r.password_hash, 'UTF8')), 'hex')"


class LinkArgs(JobArgs):
    respondent_id: uuid.UUID
    delivery_id: uuid.UUID  # one request's mail: its Message-ID stays the same across tries


class Addressee(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID
    email: str
    name_ja: str
    stamp: str


def token_key(token: str) -> str:
    return TOKEN_KEY.format(hashlib.sha256(token.encode()).hexdigest())


async def queue_link(tenant_id: uuid.UUID, respondent_id: uuid.UUID) -> None:
    """Queue one link's mail (the page's request: a fresh delivery, so its job id is its own)."""
    from govstat.platform.jobs.queue import job_pool

    delivery = uuid.uuid4()
    args = LinkArgs(
        job_id=f"online.recovery_mail:{respondent_id}:{delivery}",
        tenant_id=tenant_id,
        respondent_id=respondent_id,
        delivery_id=delivery,
    )
    await enqueue(await job_pool(), RECOVERY_MAIL, args)


def _body(survey_name: str, link: str) -> str:
    return (
        f"{survey_name}のオンライン回答で、パスワードの再設定が求められました。\n"
        f"30分以内に次のページで新しいパスワードを決めてください（一度だけ使えます）。\n{link}\n"
        "お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。\n\n"
        "Someone asked to set a new password for your online survey login. Within 30 minutes, choose a new\n"
        f"password at the link above (it works once). If it was not you, ignore this message.\n"
    )


async def send_link(ctx: JobContext, args: LinkArgs) -> str:
    """Make the token and mail the link (in the respondent's tenant scope: ctx.uow)."""
    to = await ctx.uow.row(
        Addressee,
        f"SELECT r.id, r.tenant_id, r.survey_id, r.email, s.name_ja, {STAMP} AS stamp FROM online_respondent r"
        " JOIN online_survey s ON s.id = r.survey_id WHERE r.id = $1",
        args.respondent_id,
    )
    if to is None or not to.email:
        return "gone"  # deleted (or its address removed) since the request: nothing to send
    token = secrets.token_urlsafe(32)
    key = token_key(token)
    ticket = Ticket(respondent_id=to.id, tenant_id=to.tenant_id, survey_id=to.survey_id, stamp=to.stamp)
    r = redis_client()
    await r.set(key, msgspec.json.encode(ticket), ex=LINK_SECONDS)
    link = f"{get_settings().base_url}/online/recover?token={token}"
    message = build_message(
        to=to.email,
        subject="【パスワード再設定】/ Set a new password",
        body=_body(to.name_ja, link),
        delivery_id=args.delivery_id,
    )
    try:
        await send_mail(message)
    except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
        await r.delete(key)  # this try's link never left: it must not work
        try_no = int(ctx.raw.get("job_try", 1) or 1)
        log.warning("online: recovery mail %s failed (try %d): %s", args.job_id, try_no, exc)
        raise Retry(defer=RETRY_BASE_SECONDS * try_no) from None
    return "sent"


RECOVERY_MAIL = JobSpec(name="online.recovery_mail", fn=send_link, args_type=LinkArgs, timeout_seconds=120)

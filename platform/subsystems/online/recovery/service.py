"""A new password through the respondent's verified e-mail (ONLINE-1: 再発行 without the agency).

The respondent gives their login ID and the e-mail address the agency imported with them; when both
match, a one-time link (30 minutes) is mailed to that address. The answer is the same whether or not
they matched, and so is the work behind it: the page only queues the question (`online.recovery_request`,
the login ID and the address's SHA-256), and the worker looks the respondent up and compares. Until
review h20 the page looked the respondent up itself and queued the mail only on a match: one round trip
more on a match, which timed answers told apart (whose address is this). The mail leaves through the
worker (mail.py: a queued job, sent again when SMTP fails). Only the token's SHA-256 is kept (in Redis,
taken once with GETDEL); at most three links an hour per login ID, so the form cannot be used to flood
a mailbox."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import uuid

import msgspec

from govstat.platform.cache import count_in_window, end_user_sessions, redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit, emit
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec, enqueue
from govstat.platform.passwords import hash_password
from govstat.platform.security import Scope
from govstat.platform.subsystems.online.events import CredentialReissued
from govstat.platform.subsystems.online.recovery import mail
from govstat.platform.subsystems.online.recovery.mail import STAMP, Ticket, token_key

log = logging.getLogger("govstat.online")
LINKS_PER_HOUR = 3
COUNT_KEY = "online:recovery:count:{}"
LOGIN = re.compile(r"R[0-9]{11}")
EXPIRED = "このリンクは使えません（期限切れか使用済み）/ this link has expired or was used"


class RequestArgs(JobArgs):
    """One page request: the login ID as typed (upper-cased) and the address's digest, never the address."""

    login: str
    email_sha256: str


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


async def request_link(login: str, email: str) -> None:
    """Queue the question whatever the answer will be (see the module's doc): the same work on a match
    or not, and no database on the way."""
    from govstat.platform.jobs.queue import job_pool

    login, email = login.strip().upper(), email.strip()
    if not LOGIN.fullmatch(login) or not email:
        return  # not a login ID at all: nothing any account could tell apart
    args = RequestArgs(job_id=f"online.recovery_request:{uuid.uuid4()}", login=login, email_sha256=_digest(email))
    await enqueue(await job_pool(), RECOVERY_REQUEST, args)


async def check_request(ctx: JobContext, args: RequestArgs) -> str:
    """The worker's half: a link is queued when login ID and address match, silently nothing otherwise."""
    async with UnitOfWork(Scope.system("online.recovery")) as uow:
        row = await uow.fetchrow(
            "SELECT r.id, r.tenant_id, r.email FROM online_respondent r WHERE r.login = $1", args.login
        )
    if row is None or not row["email"] or not hmac.compare_digest(_digest(row["email"]), args.email_sha256):
        return "no match"
    login = args.login
    sent = await count_in_window(COUNT_KEY.format(login), 3600)
    if sent > LINKS_PER_HOUR:
        log.info("online: recovery links for %s over the hourly limit", login)
        return "over the limit"
    await mail.queue_link(row["tenant_id"], row["id"])
    return "queued"


async def valid(token: str) -> bool:
    return bool(token) and bool(await redis_client().exists(token_key(token)))


async def set_password(token: str, new: str, again: str) -> None:
    """The link's one use: a new password (no change forced at the next sign-in), open sessions end."""
    if new != again:
        raise InvalidInput.field("again", "確認用のパスワードが一致しません / the two new passwords differ")
    password_hash = await hash_password(new)  # the length rule answers before the link is spent
    raw = await redis_client().getdel(token_key(token)) if token else None
    if raw is None:
        raise InvalidInput.field("token", EXPIRED)
    ticket = msgspec.json.decode(raw, type=Ticket)
    scope = Scope.tenant(ticket.tenant_id, role="respondent", actor=str(ticket.respondent_id))
    async with UnitOfWork(scope) as uow:
        # only over the password the link was made for: a reissue or a change since voids the link
        changed = await uow.fetchval(
            "UPDATE online_respondent r SET password_hash = $2, must_change = false, password_issued_at = now()"
            f" WHERE r.id = $1 AND {STAMP} = $3 RETURNING r.id",
            ticket.respondent_id,
            password_hash,
            ticket.stamp,
        )
        if changed is None:
            raise InvalidInput.field("token", EXPIRED)
        await emit(
            uow,
            CredentialReissued(survey_id=ticket.survey_id, respondent_id=ticket.respondent_id),
            tenant_id=ticket.tenant_id,
        )
        await audit(
            uow,
            "online.password_recovered",
            tenant_id=ticket.tenant_id,
            target_type="online_respondent",
            target_id=ticket.respondent_id,
            module="online",
            via="email",
        )
        uow.after_commit(lambda: end_user_sessions(ticket.respondent_id))


# a system job: the respondent's tenant is what it finds out
RECOVERY_REQUEST = JobSpec(
    name="online.recovery_request", fn=check_request, args_type=RequestArgs, scope="system", timeout_seconds=60
)

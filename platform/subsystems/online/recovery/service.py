"""A new password through the respondent's verified e-mail (ONLINE-1: 再発行 without the agency).

The respondent gives their login ID and the e-mail address the agency imported with them; when both
match, a one-time link (30 minutes) is mailed to that address. The answer is the same whether or not
they matched and the mail leaves after the answer, so the page reveals neither which login IDs exist
nor which addresses belong to them. The mail leaves through the worker (mail.py: a queued job, sent
again when SMTP fails). Only the token's SHA-256 is kept (in Redis, taken once with GETDEL); at most
three links an hour per login ID, so the form cannot be used to flood a mailbox."""

from __future__ import annotations

import logging
import re

import msgspec

from govstat.platform.cache import end_user_sessions, redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit, emit
from govstat.platform.passwords import hash_password
from govstat.platform.security import Scope
from govstat.platform.subsystems.online.events import CredentialReissued
from govstat.platform.subsystems.online.recovery import mail
from govstat.platform.subsystems.online.recovery.mail import Ticket, token_key

log = logging.getLogger("govstat.online")
LINKS_PER_HOUR = 3
COUNT_KEY = "online:recovery:count:{}"
LOGIN = re.compile(r"R[0-9]{11}")


async def request_link(login: str, email: str) -> None:
    """Mail a link when login ID and e-mail match; silently nothing otherwise (see the module's doc)."""
    login, email = login.strip().upper(), email.strip()
    if not LOGIN.fullmatch(login) or not email:
        return
    async with UnitOfWork(Scope.system("online.recovery")) as uow:
        row = await uow.fetchrow(
            "SELECT r.id, r.tenant_id, r.email FROM online_respondent r WHERE r.login = $1",
            login,
        )
    if row is None or not row["email"] or row["email"].casefold() != email.casefold():
        return
    r = redis_client()
    count_key = COUNT_KEY.format(login)
    sent = await r.incr(count_key)
    if sent == 1:
        await r.expire(count_key, 3600)
    if sent > LINKS_PER_HOUR:
        log.info("online: recovery links for %s over the hourly limit", login)
        return
    await mail.queue_link(row["tenant_id"], row["id"])


async def valid(token: str) -> bool:
    return bool(token) and bool(await redis_client().exists(token_key(token)))


async def set_password(token: str, new: str, again: str) -> None:
    """The link's one use: a new password (no change forced at the next sign-in), open sessions end."""
    if new != again:
        raise InvalidInput.field("again", "確認用のパスワードが一致しません / the two new passwords differ")
    password_hash = await hash_password(new)  # the length rule answers before the link is spent
    raw = await redis_client().getdel(token_key(token)) if token else None
    if raw is None:
        raise InvalidInput.field(
            "token", "このリンクは使えません（期限切れか使用済み）/ this link has expired or was used"
        )
    ticket = msgspec.json.decode(raw, type=Ticket)
    scope = Scope.tenant(ticket.tenant_id, role="respondent", actor=str(ticket.respondent_id))
    async with UnitOfWork(scope) as uow:
        await uow.execute(
            "UPDATE online_respondent SET password_hash = $2, must_change = false, password_issued_at = now()"
            " WHERE id = $1",
            ticket.respondent_id,
            password_hash,
        )
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

"""A new password through the respondent's verified e-mail (ONLINE-1: 再発行 without the agency).

The respondent gives their login ID and the e-mail address the agency imported with them; when both
match, a one-time link (30 minutes) is mailed to that address. The answer is the same whether or not
they matched and the mail leaves after the answer, so the page reveals neither which login IDs exist
nor which addresses belong to them. Only the token's SHA-256 is kept (in Redis, taken once with
GETDEL); at most three links an hour per login ID, so the form cannot be used to flood a mailbox."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import uuid
from email.message import EmailMessage

import msgspec

from govstat.platform.cache import end_user_sessions, redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit, emit
from govstat.platform.mail import build_message, send_mail
from govstat.platform.passwords import hash_password
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.online.events import CredentialReissued

log = logging.getLogger("govstat.online")
LINK_SECONDS = 30 * 60
LINKS_PER_HOUR = 3
TOKEN_KEY = "online:recovery:{}"
COUNT_KEY = "online:recovery:count:{}"
LOGIN = re.compile(r"R[0-9]{11}")
_sending: set[asyncio.Task[None]] = set()  # held until sent (a task nobody holds may be collected)


class Ticket(msgspec.Struct, kw_only=True):
    respondent_id: uuid.UUID
    tenant_id: uuid.UUID
    survey_id: uuid.UUID


def _key(token: str) -> str:
    return TOKEN_KEY.format(hashlib.sha256(token.encode()).hexdigest())


async def request_link(login: str, email: str) -> None:
    """Mail a link when login ID and e-mail match; silently nothing otherwise (see the module's doc)."""
    login, email = login.strip().upper(), email.strip()
    if not LOGIN.fullmatch(login) or not email:
        return
    async with UnitOfWork(Scope.system("online.recovery")) as uow:
        row = await uow.fetchrow(
            "SELECT r.id, r.tenant_id, r.survey_id, r.email, s.name_ja FROM online_respondent r"
            " JOIN online_survey s ON s.id = r.survey_id WHERE r.login = $1",
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
    token = secrets.token_urlsafe(32)
    ticket = Ticket(respondent_id=row["id"], tenant_id=row["tenant_id"], survey_id=row["survey_id"])
    await r.set(_key(token), msgspec.json.encode(ticket), ex=LINK_SECONDS)
    link = f"{get_settings().base_url}/online/recover?token={token}"
    body = (
        f"{row['name_ja']}のオンライン回答で、パスワードの再設定が求められました。\n"
        f"30分以内に次のページで新しいパスワードを決めてください（一度だけ使えます）。\n{link}\n"
        "お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。\n\n"
        "Someone asked to set a new password for your online survey login. Within 30 minutes, choose a new\n"
        f"password at the link above (it works once). If it was not you, ignore this message.\n"
    )
    message = build_message(
        to=row["email"], subject="【パスワード再設定】/ Set a new password", body=body, delivery_id=uuid.uuid4()
    )
    task = asyncio.create_task(_send(message))
    _sending.add(task)
    task.add_done_callback(_sending.discard)


async def _send(message: EmailMessage) -> None:
    try:
        await send_mail(message)
    except Exception:  # the respondent may ask again; the failure is the operator's to see
        log.exception("online: the recovery mail could not be sent")


async def valid(token: str) -> bool:
    return bool(token) and bool(await redis_client().exists(_key(token)))


async def set_password(token: str, new: str, again: str) -> None:
    """The link's one use: a new password (no change forced at the next sign-in), open sessions end."""
    if new != again:
        raise InvalidInput.field("again", "確認用のパスワードが一致しません / the two new passwords differ")
    password_hash = await hash_password(new)  # the length rule answers before the link is spent
    raw = await redis_client().getdel(_key(token)) if token else None
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

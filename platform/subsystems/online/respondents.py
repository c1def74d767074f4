"""Respondents (ONLINE-1): import the agency's list, issue login IDs and initial passwords (shown once,
in the letter), reissue, and the respondent's own password change.

Passwords are argon2id hashes (platform/passwords.py); the letter is the only place a password is
ever written in clear, and it is not kept."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import secrets
import uuid

import msgspec

from govstat.platform.cache import end_user_sessions
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import FieldError, InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.passwords import hash_password, verify_password
from govstat.platform.subsystems.online import roster, surveys
from govstat.platform.subsystems.online.events import CredentialReissued, RespondentsImported
from govstat.platform.subsystems.online.rows import SurveyRow
from govstat.platform.subsystems.online.schemas import Credential, RespondentView
from govstat.platform.web.spreadsheet import SafeWriter

MODULE = "online"
# No 0/O, 1/l/I: the letter is read from paper and typed in.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def new_login() -> str:
    return f"R{secrets.randbelow(10**11):011d}"


def new_password() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


async def import_list(uow: UnitOfWork, survey_id: uuid.UUID, data: bytes) -> list[Credential]:
    survey = await surveys.get(uow, survey_id)
    people = roster.parse(data)
    taken = {
        r["respondent_code"]
        for r in await uow.fetch(
            "SELECT respondent_code FROM online_respondent WHERE survey_id = $1 AND respondent_code = ANY($2::text[])",
            survey_id,
            [p.code for p in people],
        )
    }
    if taken:
        raise InvalidInput(
            "発行済みの回答者IDがあります（再発行をお使いください）/ respondents already issued: reissue instead",
            errors=[
                FieldError(f"line {p.units[0].line}.respondent_id", f"{p.code} は発行済みです / already issued")
                for p in people
                if p.code in taken
            ],
        )
    passwords = [new_password() for _ in people]
    hashes = await asyncio.gather(*(hash_password(p) for p in passwords))
    out = []
    for person, password, hashed in zip(people, passwords, hashes, strict=True):
        rid, login = uuid.uuid4(), new_login()
        await uow.execute(
            "INSERT INTO online_respondent (id, tenant_id, survey_id, respondent_code, email, login, password_hash)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            rid,
            survey.tenant_id,
            survey_id,
            person.code,
            person.email,
            login,
            hashed,
        )
        await uow.connection.executemany(
            "INSERT INTO online_unit (id, tenant_id, survey_id, respondent_id, unit_code, unit_name, address, area_code,"
            " preprint) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)",
            [
                (
                    uuid.uuid4(),
                    survey.tenant_id,
                    survey_id,
                    rid,
                    u.unit_code,
                    u.unit_name,
                    u.address,
                    u.area_code,
                    msgspec.json.encode(u.preprint).decode(),
                )
                for u in person.units
            ],
        )
        first = person.units[0]
        out.append(
            Credential(
                respondent_id=rid,
                respondent_code=person.code,
                login=login,
                password=password,
                units=[u.unit_name for u in person.units],
                address=first.address,
                email=person.email,
            )
        )
    units = sum(len(p.units) for p in people)
    await emit(
        uow, RespondentsImported(survey_id=survey_id, respondents=len(people), units=units), tenant_id=survey.tenant_id
    )
    await audit(
        uow,
        "online.respondents_imported",
        tenant_id=survey.tenant_id,
        target_type="online_survey",
        target_id=survey_id,
        module=MODULE,
        respondents=len(people),
        units=units,
    )
    return out


async def reissue(uow: UnitOfWork, survey_id: uuid.UUID, respondent_id: uuid.UUID) -> Credential:
    """A new initial password (the old one stops working, open sessions end); sign-in asks for a new one."""
    survey = await surveys.get(uow, survey_id)
    row = await uow.fetchrow(
        "SELECT id, respondent_code, login, email FROM online_respondent WHERE id = $1 AND survey_id = $2 FOR UPDATE",
        respondent_id,
        survey_id,
    )
    if row is None:
        raise NotFound("回答者が見つかりません / no such respondent")
    password = new_password()
    await uow.execute(
        "UPDATE online_respondent SET password_hash = $2, must_change = true, password_issued_at = now() WHERE id = $1",
        respondent_id,
        await hash_password(password),
    )
    units = await uow.fetch(
        "SELECT unit_name, address FROM online_unit WHERE respondent_id = $1 ORDER BY unit_code", respondent_id
    )
    await emit(uow, CredentialReissued(survey_id=survey_id, respondent_id=respondent_id), tenant_id=survey.tenant_id)
    await audit(
        uow,
        "online.credential_reissued",
        tenant_id=survey.tenant_id,
        target_type="online_respondent",
        target_id=respondent_id,
        module=MODULE,
    )
    uow.after_commit(lambda: end_user_sessions(respondent_id))
    return Credential(
        respondent_id=respondent_id,
        respondent_code=row["respondent_code"],
        login=row["login"],
        password=password,
        units=[u["unit_name"] for u in units],
        address=units[0]["address"] if units else "",
        email=row["email"],
    )


async def listing(uow: UnitOfWork, survey_id: uuid.UUID, limit: int, offset: int) -> tuple[int, list[RespondentView]]:
    await surveys.get(uow, survey_id)
    w = Where(args=[survey_id]).add("r.survey_id = $1").scoped(uow, "r.")
    total = await uow.fetchval(f"SELECT count(*) FROM online_respondent r WHERE {w}", *w.args)
    rows = await uow.rows(
        RespondentView,
        "SELECT r.id, r.respondent_code, r.login, r.email, r.must_change, r.opt_out,"
        " (SELECT count(*) FROM online_unit u WHERE u.respondent_id = r.id) AS units,"
        " (SELECT count(DISTINCT unit_id) FROM online_submission b WHERE b.respondent_id = r.id) AS submitted_units"
        f" FROM online_respondent r WHERE {w} ORDER BY r.respondent_code LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, rows


async def change_password(uow: UnitOfWork, current: str, new: str, again: str, session: str = "") -> None:
    """The respondent's own: the current password (initial or not), a new one twice. Their other
    sessions end (whoever else knew the old password is signed out); `session`, the one asking, goes on."""
    rid = uuid.UUID(uow.scope.actor)
    row = await uow.fetchrow("SELECT password_hash FROM online_respondent WHERE id = $1 FOR UPDATE", rid)
    if row is None:
        raise NotFound("回答者が見つかりません / no such respondent")
    if not await verify_password(row["password_hash"], current):
        raise InvalidInput.field("current", "現在のパスワードが違います / the current password is wrong")
    if new != again:
        raise InvalidInput.field("again", "確認用のパスワードが一致しません / the two new passwords differ")
    if new == current:
        raise InvalidInput.field("new", "新しいパスワードにしてください / choose a different password")
    await uow.execute(
        "UPDATE online_respondent SET password_hash = $2, must_change = false WHERE id = $1",
        rid,
        await hash_password(new),
    )
    uow.after_commit(lambda: end_user_sessions(rid, keep=session))
    await audit(
        uow,
        "online.password_changed",
        tenant_id=uow.scope.tenant_id,
        target_type="online_respondent",
        target_id=rid,
        module=MODULE,
    )


async def must_change(uow: UnitOfWork) -> bool:
    return bool(
        await uow.fetchval("SELECT must_change FROM online_respondent WHERE id = $1", uuid.UUID(uow.scope.actor))
    )


def letter_csv(survey: SurveyRow, credentials: list[Credential], base_url: str) -> bytes:
    """The letter file (ログインID・初期パスワード通知書) the agency prints and posts, one line per respondent."""
    out = io.StringIO()
    w = SafeWriter(out)
    w.writerow(["回答者ID", "調査単位", "所在地", "ログインID", "初期パスワード", "調査名", "回答期限", "回答URL"])
    deadline = survey.deadline_at.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m-%d %H:%M JST")
    for c in credentials:
        w.writerow(
            [
                c.respondent_code,
                " / ".join(c.units),
                c.address,
                c.login,
                c.password,
                survey.name_ja,
                deadline,
                f"{base_url}/online",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


async def opted_out(uow: UnitOfWork) -> bool:
    return bool(await uow.fetchval("SELECT opt_out FROM online_respondent WHERE id = $1", uuid.UUID(uow.scope.actor)))


async def set_opt_out(uow: UnitOfWork, opt_out: bool) -> None:
    """The respondent's own choice: reminders by e-mail or none."""
    await uow.execute("UPDATE online_respondent SET opt_out = $2 WHERE id = $1", uuid.UUID(uow.scope.actor), opt_out)

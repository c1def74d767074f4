"""Reminders (督促) by e-mail to non-respondents on the survey's reminder dates (ONLINE-3), through the
platform's mail (platform/mail.py, SMTP). Respondents who opted out on their page get none; each
respondent gets at most one per reminder day (online_reminder's key: the row and the mail go
together, a failed send rolls its row back for the next run); sending is paced (RATE per second)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from email.message import EmailMessage

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.mail import build_message, send_mail
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings

log = logging.getLogger("govstat.online")
RATE = 20  # messages per second, at most
JST = dt.timezone(dt.timedelta(hours=9))


class Due(msgspec.Struct, kw_only=True):
    survey_id: uuid.UUID
    tenant_id: uuid.UUID
    name_ja: str
    deadline_at: dt.datetime


class Recipient(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    email: str
    login: str


NON_RESPONDENTS = (
    "SELECT r.id, r.email, r.login FROM online_respondent r WHERE r.survey_id = $1 AND r.email <> '' AND NOT r.opt_out"
    " AND EXISTS (SELECT 1 FROM online_unit u WHERE u.respondent_id = r.id"
    " AND NOT EXISTS (SELECT 1 FROM online_submission s WHERE s.unit_id = u.id))"
    " AND NOT EXISTS (SELECT 1 FROM online_reminder m WHERE m.survey_id = $1 AND m.respondent_id = r.id AND m.day = $2)"
    " ORDER BY r.respondent_code"
)


async def due_surveys(now: dt.datetime) -> list[Due]:
    day = now.astimezone(JST).date().isoformat()
    async with UnitOfWork(Scope.system("online.reminders")) as uow:
        return await uow.rows(
            Due,
            "SELECT id AS survey_id, tenant_id, name_ja, deadline_at FROM online_survey"
            " WHERE opens_at <= $1 AND deadline_at > $1 AND reminder_dates ? $2",
            now,
            day,
        )


def message(survey: Due, to: Recipient, delivery: uuid.UUID) -> EmailMessage:
    deadline = survey.deadline_at.astimezone(JST).strftime("%Y年%m月%d日 %H:%M")
    base = get_settings().base_url
    body = (
        f"{survey.name_ja}へのご回答をお願いします。回答期限は {deadline} です。\n"
        f"ログインID {to.login} で {base}/login?next=/online からご回答いただけます。\n"
        f"督促メールが不要な場合は、ログイン後の画面で配信を停止できます（{base}/online/preferences）。\n\n"
        f"Please answer the survey by {deadline} (JST) at {base}/online with login ID {to.login}.\n"
        f"To stop these reminders, sign in and turn them off at {base}/online/preferences.\n"
    )
    return build_message(to=to.email, subject=f"【督促】{survey.name_ja} / Reminder", body=body, delivery_id=delivery)


async def send_due(now: dt.datetime | None = None) -> int:
    now = now or dt.datetime.now(dt.UTC)
    day = now.astimezone(JST).date()
    sent = 0
    for survey in await due_surveys(now):
        scope = Scope.tenant(survey.tenant_id, actor="job:online.reminders")
        async with UnitOfWork(scope) as uow:
            recipients = await uow.rows(Recipient, NON_RESPONDENTS, survey.survey_id, day)
        for to in recipients:
            delivery = uuid.uuid5(uuid.NAMESPACE_URL, f"online-reminder:{survey.survey_id}:{to.id}:{day}")
            async with UnitOfWork(scope) as uow:
                fresh = await uow.fetchval(
                    "INSERT INTO online_reminder (survey_id, respondent_id, day, tenant_id) VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT DO NOTHING RETURNING 1",
                    survey.survey_id,
                    to.id,
                    day,
                    survey.tenant_id,
                )
                if fresh:
                    await send_mail(message(survey, to, delivery))
                    sent += 1
            await asyncio.sleep(1 / RATE)
    if sent:
        log.info("online: %d reminders sent", sent)
    return sent

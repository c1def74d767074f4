"""Jobs of the online survey system (ONLINE-3), each a cron of the worker in a system scope that
works survey by survey in the survey's tenant scope:

- `online.handoff`: after a survey's deadline, its answers aggregated into a statdb table (test mode);
- `online.reminders`: e-mails to non-respondents on the reminder dates;
- `online.retention`: past a survey's retention date, its data key is destroyed (crypto-shredding:
  the sealed answers stay, unreadable) and its drafts deleted."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.events.audit import audit, emit
from govstat.platform.jobs.spec import JobArgs, JobContext, JobSpec
from govstat.platform.security import Scope
from govstat.platform.subsystems.online import handoff, keys, reminders
from govstat.platform.subsystems.online.events import AnswersErased

log = logging.getLogger("govstat.online")


class CronArgs(JobArgs):
    pass


class SurveyRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID


async def _surveys(sql: str, *args: object) -> list[SurveyRef]:
    async with UnitOfWork(Scope.system("online.jobs")) as uow:
        return await uow.rows(SurveyRef, sql, *args)


async def hand_off_due(ctx: JobContext, args: CronArgs) -> list[str]:
    done = []
    now = dt.datetime.now(dt.UTC)
    due = await _surveys(
        "SELECT id, tenant_id FROM online_survey WHERE deadline_at <= $1 AND handed_off_at IS NULL"
        " AND questionnaire_id IS NOT NULL AND gov_stat_code IS NOT NULL"
        " AND EXISTS (SELECT 1 FROM online_submission s WHERE s.survey_id = online_survey.id)",
        now,
    )
    for s in due:
        try:
            async with UnitOfWork(Scope.tenant(s.tenant_id, actor="job:online.handoff")) as uow:
                done.append(await handoff.run(uow, s.id, now))
        except GovstatError as exc:  # one survey's problem (its statistic, its questionnaire) stops only it
            log.warning("online: hand-off of survey %s refused: %s", s.id, exc.detail)
    return done


async def send_reminders(ctx: JobContext, args: CronArgs) -> int:
    return await reminders.send_due()


async def enforce_retention(ctx: JobContext, args: CronArgs) -> int:
    today = dt.datetime.now(dt.UTC).date()
    expired = await _surveys(
        "SELECT s.id, s.tenant_id FROM online_survey s JOIN online_survey_key k ON k.survey_id = s.id"
        " WHERE s.retention_until < $1",
        today,
    )
    for s in expired:
        async with UnitOfWork(Scope.tenant(s.tenant_id, actor="job:online.retention")) as uow:
            await uow.execute("DELETE FROM online_survey_key WHERE survey_id = $1", s.id)
            await uow.execute(
                "DELETE FROM online_draft WHERE unit_id IN (SELECT id FROM online_unit WHERE survey_id = $1)", s.id
            )
            await emit(uow, AnswersErased(survey_id=s.id), tenant_id=s.tenant_id)
            await audit(
                uow,
                "online.answers_erased",
                tenant_id=s.tenant_id,
                target_type="online_survey",
                target_id=s.id,
                module="online",
            )
        keys.forget(s.id)
    return len(expired)


HANDOFF = JobSpec(
    name="online.handoff",
    fn=hand_off_due,
    args_type=CronArgs,
    cron={"minute": set(range(0, 60, 5))},
    cron_args=lambda: CronArgs(job_id="online.handoff:cron"),
    scope="system",
)
REMINDERS = JobSpec(
    name="online.reminders",
    fn=send_reminders,
    args_type=CronArgs,
    cron={"minute": {30}},
    cron_args=lambda: CronArgs(job_id="online.reminders:cron"),
    scope="system",
    timeout_seconds=3600,
)
RETENTION = JobSpec(
    name="online.retention",
    fn=enforce_retention,
    args_type=CronArgs,
    cron={"hour": {2}, "minute": {40}},
    cron_args=lambda: CronArgs(job_id="online.retention:cron"),
    scope="system",
)
JOBS = (HANDOFF, REMINDERS, RETENTION)

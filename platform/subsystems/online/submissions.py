"""Submitting a unit's answers (ONLINE-1, issue 10 §7): each submission is a new immutable version
with a receipt number, answers stored long (item id, encrypted value, provenance).

Exactly one first submission per unit, on the server: the unit is locked for the submission (a transaction advisory lock),
and the caller names the version it answers on (`base_version`, 0 for a first answer). A submission
on a version that is no longer the latest is a conflict (409), so a hundred parallel "first"
submissions with one credential give one version 1 and ninety-nine 409s; the key
(unit_id, version_no) is the last guard."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Mapping

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, FieldError, InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import emit
from govstat.platform.subsystems.items.definition import FieldError as ItemError
from govstat.platform.subsystems.items.validation import clean
from govstat.platform.subsystems.online import forms, keys, surveys
from govstat.platform.subsystems.online.answering import UNIT
from govstat.platform.subsystems.online.events import AnswersSubmitted
from govstat.platform.subsystems.online.rows import SubmissionRow, UnitRow


def field_errors(errors: list[ItemError]) -> list[FieldError]:
    return [FieldError(e.item_id, f"{e.message_ja} / {e.message_en}") for e in errors]


def receipt_number(now: dt.datetime) -> str:
    return f"{now:%y%m%d}-{secrets.randbelow(10**10):010d}"


async def unit(uow: UnitOfWork, unit_id: uuid.UUID) -> UnitRow:
    row = await uow.row(UnitRow, f"{UNIT} WHERE u.id = $1", unit_id)
    if row is None:
        raise NotFound("調査単位が見つかりません / no such unit")
    return row


async def submit(
    uow: UnitOfWork,
    unit_id: uuid.UUID,
    answers: Mapping[str, str],
    *,
    base_version: int,
    channel: str = "web",
    now: dt.datetime | None = None,
) -> SubmissionRow:
    now = now or dt.datetime.now(dt.UTC)
    u = await unit(uow, unit_id)
    survey = await surveys.get(uow, u.survey_id)
    if survey.handed_off_at is not None:
        raise InvalidTransition("回答は既に統計表へ引き渡されました / the answers were already handed off")
    if channel != "paper" and not survey.is_open(now):
        raise InvalidTransition("回答の受付期間外です / the survey is not open for answers now")
    d = await forms.definition(uow, survey)
    pre = forms.preprinted(d, u)
    result = clean(d, answers, pre)
    if result.errors:
        raise InvalidInput(result.errors[0].message_ja, errors=field_errors(result.errors))
    # one submission of a unit at a time (an advisory lock: respondents and intermediaries may not update units)
    await uow.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 7201))", str(unit_id))
    latest = await uow.fetchval(
        "SELECT coalesce(max(version_no), 0) FROM online_submission WHERE unit_id = $1", unit_id
    )
    if latest != base_version:
        raise Conflict(
            f"この回答は第{latest}版で更新されています。画面を開き直してください"
            f" / the answers are now at version {latest}, not {base_version}: reload and try again",
            latest_version=latest,
        )
    sid, version = uuid.uuid4(), latest + 1
    receipt = receipt_number(now)
    await uow.execute(
        "INSERT INTO online_submission (id, tenant_id, survey_id, unit_id, respondent_id, version_no, receipt_no,"
        " channel, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        sid,
        u.tenant_id,
        u.survey_id,
        unit_id,
        u.respondent_id,
        version,
        receipt,
        channel,
        uow.scope.actor,
        now,
    )
    aes = await keys.data_key(uow, u.survey_id)
    origin = forms.provenance(d, result.values, pre)
    await uow.connection.executemany(
        "INSERT INTO online_answer (submission_id, tenant_id, respondent_id, item_id, value, provenance)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        [
            (
                sid,
                u.tenant_id,
                u.respondent_id,
                item,
                keys.seal(aes, value.encode(), forms.aad(sid, item)),
                origin[item],
            )
            for item, value in result.values.items()
        ],
    )
    await uow.execute("DELETE FROM online_draft WHERE unit_id = $1", unit_id)
    event = AnswersSubmitted(
        survey_id=u.survey_id,
        unit_id=unit_id,
        area_code=u.area_code,
        version_no=version,
        receipt_no=receipt,
        channel=channel,
    )
    # an intermediary writes events under its own tenant (the reception consumer finds the survey's)
    await emit(uow, event, tenant_id=uow.scope.tenant_id if uow.scope.role == "intermediary" else u.tenant_id)
    return SubmissionRow(
        id=sid, unit_id=unit_id, version_no=version, receipt_no=receipt, channel=channel, submitted_at=now
    )


async def latest(uow: UnitOfWork, unit_id: uuid.UUID) -> SubmissionRow | None:
    return await uow.row(
        SubmissionRow,
        "SELECT id, unit_id, version_no, receipt_no, channel, submitted_at FROM online_submission"
        " WHERE unit_id = $1 ORDER BY version_no DESC LIMIT 1",
        unit_id,
    )


async def form_values(uow: UnitOfWork, u: UnitRow, pre: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """What the form shows: (values, from a draft?)."""
    draft = await forms.draft_values(uow, u.survey_id, u.id)
    if draft is not None:
        return draft, True
    last = await latest(uow, u.id)
    if last is not None:
        return {k: v for k, (v, _) in (await forms.submitted_values(uow, u.survey_id, last.id)).items()}, False
    return dict(pre), False

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
from govstat.platform.subsystems.online import context, forms, keys
from govstat.platform.subsystems.online.answering import UNIT
from govstat.platform.subsystems.online.events import AnswersSubmitted
from govstat.platform.subsystems.online.rows import SubmissionRow, SurveyRow, UnitRow

# the unit's submission lock ($1: the unit id as text; context.py takes the same one with u.id::text)
LOCK = "pg_advisory_xact_lock(hashtextextended($1, 7201))"


def field_errors(errors: list[ItemError]) -> list[FieldError]:
    return [FieldError(e.item_id, f"{e.message_ja} / {e.message_en}") for e in errors]


def receipt_number(now: dt.datetime) -> str:
    return f"{now:%y%m%d}-{secrets.randbelow(10**10):010d}"


def check_accepting(survey: SurveyRow, now: dt.datetime, channel: str = "web") -> None:
    """Answers (and a respondent's drafts) only while the survey takes them: not once handed off, and on
    the web only from the opening to the deadline (締切); an intermediary's paper entry goes on after it."""
    if survey.handed_off_at is not None:
        raise InvalidTransition("回答は既に統計表へ引き渡されました / the answers were already handed off")
    if channel != "paper" and not survey.is_open(now):
        raise InvalidTransition("回答の受付期間外です / the survey is not open for answers now")


async def unit(uow: UnitOfWork, unit_id: uuid.UUID) -> UnitRow:
    row = await uow.row(UnitRow, f"{UNIT} WHERE u.id = $1", unit_id)
    if row is None:
        raise NotFound("調査単位が見つかりません / no such unit")
    return row


# After the unit's lock, one statement checks the version, writes the submission and removes the draft;
# nothing is written unless the latest version is the one the caller answered on ($10), and the statement
# says which version is latest. The answers follow in one more statement (one row per item, from arrays):
# an intermediary's insert policy on them must see the submission row, which a statement's own earlier
# part does not show it.
_WRITE = """
WITH latest AS (SELECT coalesce(max(version_no), 0) AS v FROM online_submission WHERE unit_id = $4),
sub AS (
  INSERT INTO online_submission (id, tenant_id, survey_id, unit_id, respondent_id, version_no, receipt_no, channel,
    submitted_by, submitted_at)
  SELECT $1, $2, $3, $4, $5, latest.v + 1, $6, $7, $8, $9 FROM latest WHERE latest.v = $10 RETURNING id
),
gone AS (DELETE FROM online_draft WHERE unit_id = $4 AND EXISTS (SELECT FROM sub))
SELECT latest.v FROM latest"""
_ANSWERS = (
    "INSERT INTO online_answer (submission_id, tenant_id, respondent_id, item_id, value, provenance)"
    " SELECT $1, $2, $3, a.item, a.value, a.origin FROM unnest($4::text[], $5::bytea[], $6::text[]) AS a(item, value, origin)"
)


async def submit(
    uow: UnitOfWork,
    unit_id: uuid.UUID,
    answers: Mapping[str, str],
    *,
    base_version: int,
    channel: str = "web",
    now: dt.datetime | None = None,
) -> SubmissionRow:
    c = await context.load(uow, unit_id)
    return await submit_to(uow, c, answers, base_version=base_version, channel=channel, now=now)


async def submit_to(
    uow: UnitOfWork,
    c: context.UnitContext,
    answers: Mapping[str, str],
    *,
    base_version: int,
    channel: str = "web",
    now: dt.datetime | None = None,
    locked: bool = False,
) -> SubmissionRow:
    """Submit the answers of a unit already read (with its survey and key) in this unit of work. `locked`:
    the unit's lock was taken when it was read (`context.load(..., lock=True)`, one round trip less)."""
    u, survey = c.unit, c.survey
    now = now or dt.datetime.now(dt.UTC)
    check_accepting(survey, now, channel)
    d = await forms.definition(uow, survey)
    pre = forms.preprinted(d, u)
    result = clean(d, answers, pre)
    if result.errors:
        raise InvalidInput(result.errors[0].message_ja, errors=field_errors(result.errors))
    sid, receipt = uuid.uuid4(), receipt_number(now)
    aes = c.aes()  # 410 once the survey's key is shredded, whichever process shredded it
    origin = forms.provenance(d, result.values, pre)
    items = list(result.values)
    sealed = [keys.seal(aes, result.values[i].encode(), forms.aad(sid, i)) for i in items]
    # one submission of a unit at a time (an advisory lock: respondents and intermediaries may not
    # update units); the next statement's snapshot is taken after it, so it sees every committed version
    if not locked:
        await uow.execute(f"SELECT {LOCK}", str(u.id))
    latest = await uow.fetchval(
        _WRITE, sid, u.tenant_id, u.survey_id, u.id, u.respondent_id, receipt, channel, uow.scope.actor, now,
        base_version,
    )  # fmt: skip
    if latest != base_version:
        raise Conflict(
            f"この回答は第{latest}版で更新されています。画面を開き直してください"
            f" / the answers are now at version {latest}, not {base_version}: reload and try again",
            latest_version=latest,
        )
    await uow.execute(_ANSWERS, sid, u.tenant_id, u.respondent_id, items, sealed, [origin[i] for i in items])
    version = latest + 1
    event = AnswersSubmitted(
        survey_id=u.survey_id,
        unit_id=u.id,
        area_code=u.area_code,
        version_no=version,
        receipt_no=receipt,
        channel=channel,
    )
    # an intermediary writes events under its own tenant (the reception consumer finds the survey's);
    # held: written in one insert with the call's audit event, just before COMMIT (the last write here)
    tenant = uow.scope.tenant_id if uow.scope.role == "intermediary" else u.tenant_id
    await emit(uow, event, tenant_id=tenant, hold=True)
    return SubmissionRow(
        id=sid, unit_id=u.id, version_no=version, receipt_no=receipt, channel=channel, submitted_at=now
    )


async def latest(uow: UnitOfWork, unit_id: uuid.UUID) -> SubmissionRow | None:
    return await uow.row(
        SubmissionRow,
        "SELECT id, unit_id, version_no, receipt_no, channel, submitted_at FROM online_submission"
        " WHERE unit_id = $1 ORDER BY version_no DESC LIMIT 1",
        unit_id,
    )


async def form_values(uow: UnitOfWork, c: context.UnitContext, pre: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """What the form shows: (values, from a draft?)."""
    u = c.unit
    draft = await forms.draft_values(uow, u.survey_id, u.id, c.key)
    if draft is not None:
        return draft, True
    last = await latest(uow, u.id)
    if last is not None:
        stored = await forms.submitted_values(uow, u.survey_id, last.id, c.key)
        return {k: v for k, (v, _) in stored.items()}, False
    return dict(pre), False

"""The respondent's side (ONLINE-1): their units, the form's values, drafts and submissions.

Runs in the respondent's own scope: row-level security shows them only their rows, whatever the query."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.subsystems.online import surveys
from govstat.platform.subsystems.online.rows import SubmissionRow, SurveyRow, UnitRow

UNIT = (
    "SELECT u.id, u.tenant_id, u.survey_id, u.respondent_id, u.unit_code, u.unit_name, u.address, u.area_code,"
    " u.preprint, b.version_no AS last_version, b.receipt_no AS last_receipt, b.submitted_at AS last_at"
    " FROM online_unit u LEFT JOIN LATERAL (SELECT version_no, receipt_no, submitted_at FROM online_submission s"
    " WHERE s.unit_id = u.id ORDER BY version_no DESC LIMIT 1) b ON true"
)


async def my_units(uow: UnitOfWork) -> tuple[SurveyRow, list[UnitRow]]:
    units = await uow.rows(UnitRow, f"{UNIT} ORDER BY u.unit_code")  # RLS: only the respondent's own
    if not units:
        raise NotFound("回答する調査単位がありません / you have no units to answer")
    return await surveys.get(uow, units[0].survey_id), units


async def feedback(uow: UnitOfWork, unit_id: uuid.UUID, ease: str, minutes: str, comment: str) -> SubmissionRow:
    """The respondent's アンケート on their latest submission of the unit (once per submission)."""
    last = await uow.row(
        SubmissionRow,
        "SELECT id, unit_id, version_no, receipt_no, channel, submitted_at FROM online_submission"
        " WHERE unit_id = $1 ORDER BY version_no DESC LIMIT 1",
        unit_id,
    )
    if last is None:
        raise NotFound("提出された回答がありません / nothing submitted yet")
    if ease not in {"1", "2", "3", "4", "5"}:
        raise InvalidInput.field("ease", "1から5で選んでください / choose 1 to 5")
    spent = int(minutes) if minutes.isdigit() and len(minutes) <= 3 and int(minutes) <= 600 else None
    await uow.execute(
        "INSERT INTO online_feedback (submission_id, tenant_id, respondent_id, ease, minutes, comment)"
        " SELECT s.id, s.tenant_id, s.respondent_id, $2, $3, $4 FROM online_submission s WHERE s.id = $1"
        " ON CONFLICT (submission_id) DO NOTHING",
        last.id,
        int(ease),
        spent,
        comment.strip()[:2000],
    )
    return last

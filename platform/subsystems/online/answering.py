"""The respondent's side (ONLINE-1): their units, the form's values, drafts and submissions.

Runs in the respondent's own scope: row-level security shows them only their rows, whatever the query."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.online import surveys
from govstat.platform.subsystems.online.rows import SurveyRow, UnitRow

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

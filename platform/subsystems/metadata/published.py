"""The metadata registry's read interface for the other parts (docs/decisions/0010): the published
survey records of a government statistic (the items database links its questionnaires to them).
Others never name metadata_record or metadata_version; they call these with their own unit of work."""

from __future__ import annotations

import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True


class SurveyRef(msgspec.Struct, frozen=True, kw_only=True):
    record_id: uuid.UUID
    version: int
    survey_name: str
    survey_name_en: str

    @property
    def url(self) -> str:
        return f"/metadata/{self.record_id}"


async def surveys_of_statistic(uow: UnitOfWork, gov_stat_code: str) -> list[SurveyRef]:
    """The current published metadata records of a statistic (政府統計コード), newest first."""
    return await uow.rows(
        SurveyRef,
        "SELECT r.id AS record_id, v.version_no AS version, v.survey_name, v.survey_name_en"
        " FROM metadata_record r JOIN metadata_version v ON v.record_id = r.id"
        " WHERE r.gov_stat_code = $1 AND v.status = 'published' ORDER BY v.published_at DESC LIMIT 20",
        gov_stat_code,
    )

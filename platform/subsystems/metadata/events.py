"""The domain events of the survey metadata (調査票情報): what other parts may follow."""

from __future__ import annotations

import uuid

from govstat.platform.events.domain import DomainEvent


class SurveyFinalised(DomainEvent, tag="metadata.survey_finalised"):
    record_id: uuid.UUID
    version: int
    gov_stat_code: str
    survey_name: str


class SurveyPublished(DomainEvent, tag="metadata.survey_published"):
    record_id: uuid.UUID
    version: int
    gov_stat_code: str
    survey_name: str
    stats_data_ids: list[str] = []  # the published tables it describes
    table_file_ids: list[uuid.UUID] = []


EVENTS = (SurveyFinalised, SurveyPublished)

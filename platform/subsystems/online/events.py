"""The domain events of the online survey system: what other parts (and its reception read model) follow."""

from __future__ import annotations

import uuid

from govstat.platform.events.domain import DomainEvent


class SurveyCreated(DomainEvent, tag="online.survey_created"):
    survey_id: uuid.UUID
    code: str


class RespondentsImported(DomainEvent, tag="online.respondents_imported"):
    survey_id: uuid.UUID
    respondents: int
    units: int


class CredentialReissued(DomainEvent, tag="online.credential_reissued"):
    survey_id: uuid.UUID
    respondent_id: uuid.UUID


class AnswersSubmitted(DomainEvent, tag="online.submitted"):
    """One submission (a new version) of a unit's answers: the reception dashboard counts these."""

    survey_id: uuid.UUID
    unit_id: uuid.UUID
    area_code: str
    version_no: int
    receipt_no: str
    channel: str


EVENTS = (SurveyCreated, RespondentsImported, CredentialReissued, AnswersSubmitted)

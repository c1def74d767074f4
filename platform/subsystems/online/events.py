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


class HandedOff(DomainEvent, tag="online.handed_off"):
    """The answers went to the statistical database as a table in test mode (the agency promotes it)."""

    survey_id: uuid.UUID
    stats_data_id: str
    units: int


class AnswersErased(DomainEvent, tag="online.answers_erased"):
    """The retention date passed: the survey's data key was destroyed (its answers are unreadable)."""

    survey_id: uuid.UUID


class IntermediaryGranted(DomainEvent, tag="online.intermediary_granted"):
    survey_id: uuid.UUID
    intermediary_tenant_id: uuid.UUID


class IntermediaryCompleted(DomainEvent, tag="online.intermediary_completed"):
    """The intermediary reported its share of the survey complete (完了報告)."""

    survey_id: uuid.UUID


class QuestionnaireMoved(DomainEvent, tag="online.questionnaire_moved"):
    """The survey now asks a newer version of its questionnaire; drafts were migrated by item id."""

    survey_id: uuid.UUID
    old_version: int
    new_version: int
    drafts_migrated: int


EVENTS = (
    SurveyCreated,
    RespondentsImported,
    CredentialReissued,
    AnswersSubmitted,
    HandedOff,
    AnswersErased,
    IntermediaryGranted,
    IntermediaryCompleted,
    QuestionnaireMoved,
)

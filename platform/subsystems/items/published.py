"""The items database's read interface for the other parts (docs/decisions/0010): a published
questionnaire definition by id (online surveys build forms, validation and hand-off on it), and the
questionnaires of a survey (the metadata registry links its survey records to them). Others never
name the items_* tables; they call these with their own unit of work."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.items.definition import Definition

READS_FOR_OTHERS = True


class PublishedQuestionnaire(msgspec.Struct, frozen=True, kw_only=True):
    questionnaire_id: str
    version: int
    status: str  # published | superseded
    tenant_id: str
    published_at: dt.datetime
    definition: Definition


class QuestionnaireRef(msgspec.Struct, frozen=True, kw_only=True):
    questionnaire_id: str
    version: int
    title_ja: str
    survey: str
    cycle: str
    respondent_unit: str


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


async def questionnaire(
    uow: UnitOfWork, questionnaire_id: str, version: int | None = None
) -> PublishedQuestionnaire | None:
    """A published (or since superseded) version; the current published one when version is None."""
    qid = _uuid(questionnaire_id)
    if qid is None:
        return None
    row = await uow.fetchrow(
        "SELECT questionnaire_id, version, status, tenant_id, published_at, definition::text AS definition"
        " FROM items_questionnaire_version WHERE questionnaire_id = $1"
        " AND (($2::int IS NULL AND status = 'published') OR ($2::int IS NOT NULL AND version = $2 AND status IN ('published', 'superseded')))",
        qid,
        version,
    )
    if row is None:
        return None
    return PublishedQuestionnaire(
        questionnaire_id=str(row["questionnaire_id"]),
        version=row["version"],
        status=row["status"],
        tenant_id=str(row["tenant_id"]),
        published_at=row["published_at"],
        definition=msgspec.json.decode(row["definition"], type=Definition),
    )


async def of_survey(uow: UnitOfWork, survey: str) -> list[QuestionnaireRef]:
    """The current published questionnaires of a survey (e.g. a government statistic code), by cycle."""
    return await uow.rows(
        QuestionnaireRef,
        "SELECT q.id::text AS questionnaire_id, v.version, v.title_ja, q.survey, q.cycle, v.respondent_unit"
        " FROM items_questionnaire q JOIN items_questionnaire_version v ON v.questionnaire_id = q.id"
        " WHERE q.survey = $1 AND v.status = 'published' ORDER BY q.cycle DESC, v.title_ja",
        survey,
    )

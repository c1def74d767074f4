"""The domain events of the survey items database: what other parts may follow (online surveys
learn of a new published questionnaire version)."""

from __future__ import annotations

import uuid

from govstat.platform.events.domain import DomainEvent


class ItemVersioned(DomainEvent, tag="items.item_versioned"):
    item_id: str
    version: int
    reason: str  # "created" | "edited" | "new-version" (the former version is used by a published questionnaire)


class QuestionnairePublished(DomainEvent, tag="items.questionnaire_published"):
    questionnaire_id: uuid.UUID
    version: int
    survey: str
    cycle: str
    superseded_version: int | None = None


EVENTS = (ItemVersioned, QuestionnairePublished)

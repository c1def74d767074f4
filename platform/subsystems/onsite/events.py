"""The domain events of the on-site system: what other parts may follow (no microdata in any)."""

from __future__ import annotations

import uuid

from govstat.platform.events.domain import DomainEvent


class DatasetLoaded(DomainEvent, tag="onsite.dataset_loaded"):
    dataset_id: uuid.UUID
    row_count: int


class DatasetPurged(DomainEvent, tag="onsite.dataset_purged"):
    dataset_id: uuid.UUID


class GrantDecided(DomainEvent, tag="onsite.grant_decided"):
    grant_id: uuid.UUID
    approved: bool


class OutputChecked(DomainEvent, tag="onsite.output_checked"):
    output_id: uuid.UUID
    verdict: str


EVENTS = (DatasetLoaded, DatasetPurged, GrantDecided, OutputChecked)

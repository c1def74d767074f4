"""Domain events of the users' own GIS data (tenant rows)."""

from __future__ import annotations

import uuid

from govstat.platform.events.domain import DomainEvent


class AreaSaved(DomainEvent, tag="gis.area_saved"):
    area_id: uuid.UUID
    name: str
    area_km2: float


class AreaDeleted(DomainEvent, tag="gis.area_deleted"):
    area_id: uuid.UUID


class PointsUploaded(DomainEvent, tag="gis.points_uploaded"):
    dataset_id: uuid.UUID
    name: str
    points: int


class DatasetDeleted(DomainEvent, tag="gis.dataset_deleted"):
    dataset_id: uuid.UUID


EVENTS = (AreaSaved, AreaDeleted, PointsUploaded, DatasetDeleted)

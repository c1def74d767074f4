"""The domain events of the business register (docs/decisions/0008): each step of a frame-use
application is a notice to the agency; draws and maintenance runs tell what they did."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.events.domain import DomainEvent


class ApplicationStepped(DomainEvent, tag="frame.application_stepped"):
    """An application reached a new state (applied, returned, approved, rejected, extracted, sampled,
    delivered): the notice the agency's staff and the operator's queue follow."""

    application_id: uuid.UUID
    survey_id: uuid.UUID
    status: str
    actor: str
    note: str = ""


class SampleDrawn(DomainEvent, tag="frame.sample_drawn"):
    draw_id: uuid.UUID
    survey_id: uuid.UUID | None = None
    test: bool = False
    sample_count: int = 0
    skipped_count: int = 0


class RegisterMaintained(DomainEvent, tag="frame.register_maintained"):
    run_id: uuid.UUID
    run_kind: str
    changed: int = 0
    errors: int = 0


class UnitsMerged(DomainEvent, tag="frame.units_merged"):
    """Establishments became one (合併): `survivor` continues with its id and PRN, `ended` closed."""

    survivor: int
    ended: list[int]
    effective_on: dt.date


class UnitSplit(DomainEvent, tag="frame.unit_split"):
    """An establishment divided (分割): it continues with its id and PRN; `born` are new units, each
    with a new PRN from the uniform generator."""

    unit_id: int
    born: list[int]
    effective_on: dt.date


EVENTS = (ApplicationStepped, SampleDrawn, RegisterMaintained, UnitsMerged, UnitSplit)

"""The domain events of the area codes (標準地域コード): what other parts may follow. Platform-wide
facts: area codes belong to no tenant, so they are emitted without one."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.events.domain import DomainEvent


class ChangeRegistered(DomainEvent, tag="area.change_registered"):
    """A change (廃置分合等) entered from the gazette: the codes it ends and starts."""

    change_id: uuid.UUID
    code: str
    effective_on: dt.date
    ends: list[str] = []
    starts: list[str] = []


class ChangeUpdated(DomainEvent, tag="area.change_updated"):
    change_id: uuid.UUID
    fields: list[str] = []  # the fields that were changed


class ChangeDeleted(DomainEvent, tag="area.change_deleted"):
    change_id: uuid.UUID
    code: str


EVENTS = (ChangeRegistered, ChangeUpdated, ChangeDeleted)

"""Domain events of enumerator management (no personal data in them: ids and area codes only)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.events.domain import DomainEvent


class AssignmentMoved(DomainEvent, tag="enumerators.assignment_moved"):
    """An assignment followed its area through a municipal merger (廃置分合)."""

    assignment_id: uuid.UUID
    old_code: str
    new_code: str
    effective_on: dt.date


EVENTS = (AssignmentMoved,)

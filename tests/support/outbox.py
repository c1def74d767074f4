"""Reading outbox rows in tests: every kind, domain events included (the composition root's decoder)."""

from __future__ import annotations

from typing import Any

from govstat.platform.events.domain import DomainEvent
from govstat.platform.root.events import decode

__all__ = ["decode", "name_of"]


def name_of(payload: Any) -> str | None:
    """An audit event's action or a domain event's name; None for the other kinds."""
    if isinstance(payload, DomainEvent):
        return payload.event_name()
    return getattr(payload, "action", None)

"""The one union of domain events, joined here from what the modules declare (decisions/0008).

platform/events never imports a module; the composition root hands this decoder to whatever reads
the domain topic (the monitor's consumers) and tests read the outbox with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from govstat.platform.events.domain import DomainEvent
from govstat.platform.events.envelope import Envelope, EventDecoder, make_decoder
from govstat.platform.module import Module


def event_types(modules: Iterable[Module]) -> tuple[type[DomainEvent], ...]:
    return tuple(e for m in modules for e in m.events)


@cache
def event_decoder() -> EventDecoder:
    """The decoder of every module's events (built once per process)."""
    from govstat.platform.root.catalog import CATALOG

    return make_decoder(event_types(CATALOG.modules))


def decode(data: bytes) -> Envelope[Any]:
    """Any envelope: the platform's payloads and every module's domain events."""
    return event_decoder().decode(data)

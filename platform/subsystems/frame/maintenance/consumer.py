"""Location upkeep driven by the area module's events (FRAME-5): when a change (廃置分合等) is
registered, the register's establishments are moved forward through that day's successions at once,
each move a version with the succession as its reason and the run in the list of maintenance runs.
The area's history is the source of truth (its read interface's `follow`), so an event applied twice
finds nothing left to move; the consumer's markers make it once in effect anyway."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope
from govstat.platform.subsystems.area.events import ChangeRegistered
from govstat.platform.subsystems.frame.maintenance import service


class AreaChangeConsumer(Consumer):
    name = "frame-areas"
    topic_suffixes = ("domain",)

    async def handle(self, uow: UnitOfWork, event: Envelope[Any]) -> None:
        match event.payload:
            case ChangeRegistered(code=code, effective_on=day):
                before = day - dt.timedelta(days=1)
                await service.follow_areas(uow, before, day, source=f"area.change_registered {code} {day}")

"""The operator puts dead letters back once their cause is fixed (platform/events/replay.py)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Router, post
from litestar.params import Parameter

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.replay import Replayed, Replayer
from govstat.platform.module import access
from govstat.platform.security import Principal, Role

REPLAY = access(Role.OPERATOR, op="ops.replay", subscription=False, audit=True)
_made: dict[int, tuple[Catalog, Replayer]] = {}


class ReplayedMany(msgspec.Struct, kw_only=True):
    consumer: str
    items: list[Replayed]  # those replayed (outcome failed: still open); those still ahead are left out


def _replayer(catalog: Catalog) -> Replayer:
    """One per catalog (the process's): every module's read models and the decoder of their events."""
    made = _made.get(id(catalog))
    if made is None or made[0] is not catalog:
        made = _made[id(catalog)] = (catalog, Replayer.of(catalog))
    return made[1]


@post("/api/ops/dead-letters/{dead_letter_id:int}/replay", status_code=200, opt=REPLAY)
async def replay_one(uow: UnitOfWork, catalog: Catalog, principal: Principal, dead_letter_id: int) -> Replayed:
    """Put one dead letter back: the relay's into the outbox, a read model's applied again with its
    duplicate marker. 404: no such dead letter; 409: replayed already, or its event still dated ahead
    of the database's clock. A replay that fails again answers outcome `failed` with the new error."""
    return await _replayer(catalog).one(uow, dead_letter_id, by=principal.subject)


@post("/api/ops/dead-letters/replay", status_code=200, opt=REPLAY)
async def replay_consumer(
    uow: UnitOfWork,
    catalog: Catalog,
    principal: Principal,
    consumer: Annotated[str, Parameter(min_length=1, max_length=64)],
    limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
) -> ReplayedMany:
    """Put back the open dead letters of one consumer (`relay` or a read model), oldest first."""
    items = await _replayer(catalog).consumer(uow, consumer, by=principal.subject, limit=limit)
    return ReplayedMany(consumer=consumer, items=items)


router = Router(path="/", route_handlers=[replay_one, replay_consumer], tags=["ops / 運用管理"])

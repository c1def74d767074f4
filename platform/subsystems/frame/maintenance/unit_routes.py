"""Mergers and splits of establishments under /api/frame (FRAME-5, the operator's): the rules of
what a unit inherits are in maintenance/units.py and docs/frame.md."""

from __future__ import annotations

from litestar import Router, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.frame.maintenance import units
from govstat.platform.subsystems.frame.maintenance.routes import UnitId
from govstat.platform.subsystems.frame.schemas import MergeIn, Reshaped, SplitIn

OPERATOR = Role.OPERATOR


@post("/register/merge", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def merge(uow: UnitOfWork, data: MergeIn) -> Reshaped:
    """Establishments become one (合併): the largest continues with its id and PRN, the others end."""
    return await units.merge(uow, data)


@post("/register/{unit_id:int}/split", opt=access(OPERATOR, op="frame.maintain", audit=True), status_code=200)
async def split(uow: UnitOfWork, unit_id: UnitId, data: SplitIn) -> Reshaped:
    """An establishment divides (分割): it continues with its id and PRN; each part is born with a new PRN."""
    return await units.split(uow, unit_id, data)


unit_api = Router(path="/api/frame", tags=["frame / 事業所母集団データベース"], route_handlers=[merge, split])

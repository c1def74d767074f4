"""The replication check's figures for the operator's dashboard (/ops): GET /api/ops/replication."""

from __future__ import annotations

from litestar import Router, get

from govstat.ops.monitoring import replication
from govstat.ops.monitoring.replication import Outcome
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role


@get("/api/ops/replication", opt=access(Role.OPERATOR, op="ops.read", subscription=False))
async def replication_status(uow: UnitOfWork) -> Outcome:
    """Slots (active, xmin age, WAL retained since restart_lsn), standbys (replay lag), the thresholds,
    what exceeds them now and the check's active alert; read on the primary, changing nothing."""
    return await replication.observe(uow)


router = Router(path="/", route_handlers=[replication_status], tags=["ops / 運用管理"])

"""取り下げ: a published table is withdrawn with a reason. Its row stays (the public API and portal
answer that it was withdrawn, when and why), its data is no longer served (row-level security,
migration statdb_0004), and it is never silently gone: deletion is for unpublished tables only."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.statdb import service
from govstat.platform.subsystems.statdb.events import TableWithdrawn
from govstat.platform.subsystems.statdb.revisions.revise import check_reason
from govstat.platform.subsystems.statdb.revisions.rows import Withdrawal


async def withdraw(uow: UnitOfWork, stats_data_id: str, reason: str) -> Withdrawal:
    reason = check_reason(reason)
    table = await service.get(uow, stats_data_id, for_update=True)
    if table.withdrawn_at is not None:
        raise InvalidTransition("既に取り下げています / already withdrawn")
    if not service.is_public(table):
        raise InvalidTransition("公表前の統計表は削除してください / not published: delete it instead")
    row = await uow.row(
        Withdrawal,
        """UPDATE stat_table SET withdrawn_at = now(), withdrawn_reason = $2, updated_at = now(),
             withdrawn_by = coalesce(current_setting('app.actor', true), '')
           WHERE id = $1 RETURNING stats_data_id, title, withdrawn_at, withdrawn_reason""",
        table.id,
        reason,
    )
    assert row is not None
    await audit(
        uow,
        "statdb.table.withdrawn",
        tenant_id=table.tenant_id,
        target_type="stat_table",
        target_id=stats_data_id,
        module=service.MODULE,
        reason=reason,
    )
    await emit(uow, TableWithdrawn(stats_data_id=stats_data_id, reason=reason), tenant_id=table.tenant_id)
    return row

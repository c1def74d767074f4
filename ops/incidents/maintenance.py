"""Scheduled maintenance windows: during one, an alert for the module is expected (suppressed)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.ops.incidents.rows import MAINTENANCE_COLUMNS, MaintenanceRow
from govstat.ops.incidents.schemas import MaintenanceIn
from govstat.ops.incidents.service import MODULE, check_module, now, required
from govstat.ops.incidents.tables import MaintenanceWindow
from govstat.platform.catalog import Catalog
from govstat.platform.db.repository import Repository
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit


async def maintenance_at(uow: UnitOfWork, module_key: str, at: dt.datetime) -> MaintenanceRow | None:
    """The window (for this module or for all) that covers `at`, if any."""
    return await uow.row(
        MaintenanceRow,
        f"SELECT {MAINTENANCE_COLUMNS} FROM maintenance_window WHERE cancelled_at IS NULL AND starts_at <= $2"
        " AND ends_at > $2 AND (module_key IS NULL OR module_key = $1) ORDER BY starts_at LIMIT 1",
        module_key,
        at,
    )


def _check_window(catalog: Catalog, data: MaintenanceIn) -> None:
    check_module(catalog, "module_key", data.module_key)
    for name in ("starts_at", "ends_at"):
        if getattr(data, name).tzinfo is None:
            raise InvalidInput.field(name, "時差を含めてください / include the UTC offset (e.g. +09:00)")
    if data.ends_at <= data.starts_at:
        raise InvalidInput.field("ends_at", "終了は開始より後にしてください / must be after starts_at")
    required("description", data.description)


async def list_maintenance(uow: UnitOfWork, *, include_past: bool = False) -> list[MaintenanceRow]:
    """Newest first; current and future windows only unless `include_past`."""
    w = MaintenanceWindow
    current = [] if include_past else [w.cancelled_at.is_null(), w.ends_at > now()]
    return await _windows(uow).find(*current, order_by=w.starts_at, ascending=False, limit=500)


async def get_maintenance(uow: UnitOfWork, window_id: uuid.UUID, *, for_update: bool = False) -> MaintenanceRow:
    return await _windows(uow).get(window_id, for_update=for_update)


def _windows(uow: UnitOfWork) -> Repository[MaintenanceWindow, MaintenanceRow]:
    return uow.repo(MaintenanceWindow, MaintenanceRow)


async def schedule_maintenance(uow: UnitOfWork, catalog: Catalog, data: MaintenanceIn) -> MaintenanceRow:
    _check_window(catalog, data)
    at = now()
    row = await _windows(uow).add(
        id=uuid.uuid4(),
        module_key=data.module_key,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        description=data.description.strip(),
        created_by=uow.scope.actor,
        created_at=at,
        updated_at=at,
    )
    await audit(
        uow,
        "maintenance.scheduled",
        tenant_id=None,
        target_type="maintenance_window",
        target_id=row.id,
        module=MODULE,
        module_key=data.module_key,
        starts_at=data.starts_at.isoformat(),
        ends_at=data.ends_at.isoformat(),
    )
    return row


async def update_maintenance(
    uow: UnitOfWork, catalog: Catalog, window_id: uuid.UUID, data: MaintenanceIn
) -> MaintenanceRow:
    _check_window(catalog, data)
    current = await get_maintenance(uow, window_id, for_update=True)
    if current.cancelled_at is not None:
        raise InvalidTransition("取り消された計画保守は変更できません / the window was cancelled")
    row = await _windows(uow).update(
        window_id,
        module_key=data.module_key,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        description=data.description.strip(),
        updated_at=now(),
    )
    await audit(
        uow,
        "maintenance.updated",
        tenant_id=None,
        target_type="maintenance_window",
        target_id=window_id,
        module=MODULE,
        module_key=data.module_key,
        starts_at=data.starts_at.isoformat(),
        ends_at=data.ends_at.isoformat(),
    )
    return row


async def cancel_maintenance(uow: UnitOfWork, window_id: uuid.UUID) -> MaintenanceRow:
    current = await get_maintenance(uow, window_id, for_update=True)
    if current.cancelled_at is not None:
        raise InvalidTransition("既に取り消されています / already cancelled")
    at = now()
    row = await _windows(uow).update(window_id, cancelled_at=at, updated_at=at)
    await audit(
        uow,
        "maintenance.cancelled",
        tenant_id=None,
        target_type="maintenance_window",
        target_id=window_id,
        module=MODULE,
        module_key=current.module_key,
    )
    return row


# --- notices (agencies) -------------------------------------------------------------------------------

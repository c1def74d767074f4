"""The indicator catalogue's reads and the operator's 項目定義 (region_indicator)."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.region.rows import Indicator

COLS = "code, position, name_ja, name_en, definition, unit, kind, sources, operands, updated_by, updated_at"


async def all_items(uow: UnitOfWork) -> list[Indicator]:
    return await uow.rows(Indicator, f"SELECT {COLS} FROM region_indicator ORDER BY position, code")


async def item(uow: UnitOfWork, code: str) -> Indicator:
    found = await uow.row(Indicator, f"SELECT {COLS} FROM region_indicator WHERE code = $1", code)
    if found is None:
        raise NotFound(f"項目 {code} はありません / no indicator {code}")
    return found

"""getStatsData: the observations of a published table, narrowed and paged as e-Stat does. The
SQL is statdb's (statdb/published.py); this module shapes e-Stat's VALUE rows."""

from __future__ import annotations

from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api.params import Narrowing
from govstat.platform.subsystems.statdb import published
from govstat.platform.subsystems.statdb.published import Selection

# replaceSpChars: 0 keep the special character, 1 -> "0", 2 -> NULL, 3 -> "NA"
_REPLACEMENT = {1: "0", 2: None, 3: "NA"}


def where(table_id: int, dims: list[str], narrowing: list[Narrowing]) -> Selection | None:
    """The selected cells, or None when a narrowing names a dimension the table lacks (no data)."""
    return published.select(table_id, dims, narrowing)


async def count(uow: UnitOfWork, sel: Selection) -> int:
    return await published.count(uow, sel)


async def values(
    uow: UnitOfWork,
    dims: list[str],
    sel: Selection,
    *,
    start: int,
    limit: int,
    narrowed: bool,
    replace: int,
    annotations: bool,
    asked: Any = None,
) -> list[dict[str, Any]]:
    """VALUE rows from position `start` (1-based); of an earlier version when `asked` says so."""
    if asked is None:
        rows = await published.values(uow, sel, dims, start=start, limit=limit, narrowed=narrowed)
    else:
        from govstat.platform.subsystems.estat.api.versions import values_at

        rows = await values_at(uow, sel, dims, asked, start=start, limit=limit, narrowed=narrowed)
    keys = [(f"@{d}", d) for d in dims]
    out: list[dict[str, Any]] = []
    append = out.append
    for r in rows:
        item = {key: getattr(r, d) for key, d in keys}
        if r.unit is not None:
            item["@unit"] = r.unit
        if annotations and r.annotation is not None:
            item["@annotation"] = r.annotation
        item["$"] = _REPLACEMENT.get(replace, r.v) if (replace and r.special) else r.v
        append(item)
    return out

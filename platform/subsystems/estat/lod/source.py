"""Reading a published table into its Data Cube (cube.py) through statdb's published interface."""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.lod import cube
from govstat.platform.subsystems.estat.lod import vocab as v
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.rows import ClassObj

BATCH = 5000


class Table(msgspec.Struct, kw_only=True):
    row: PublishedTable
    facts: cube.TableFacts
    objs: list[ClassObj]
    dims: list[str]


async def table(uow: UnitOfWork, stats_data_id: str) -> Table | None:
    """The table if it is published and due (whoever asks), else None."""
    try:
        t = await table_refs.published(uow, stats_data_id)
    except EstatFault:
        return None
    facts = msgspec.convert(msgspec.structs.asdict(t), cube.TableFacts, from_attributes=True)
    objs = await statdb.classes(uow, t.id)
    return Table(row=t, facts=facts, objs=objs, dims=[o.obj_id for o in objs])


async def pages(uow: UnitOfWork, t: Table, *, after: int = 0, limit: int | None = None) -> AsyncIterator[v.Triples]:
    """The table's observations by seq after `after`, BATCH cells at a time (at most `limit`)."""
    sel = statdb.select(t.row.id, t.dims, [])
    assert sel is not None  # no narrowing: always a selection
    left = limit
    while left is None or left > 0:
        size = BATCH if left is None else min(BATCH, left)
        cells = await statdb.cells_after(uow, sel, t.dims, after_seq=after, limit=size)
        if not cells:
            return
        yield cube.observations(t.facts, t.dims, cells)
        after = cells[-1].seq
        if left is not None:
            left -= len(cells)
        if len(cells) < size:
            return


async def whole(uow: UnitOfWork, stats_data_id: str) -> v.Triples | None:
    """Every triple of the table (the SPARQL store's graph of it), or None if it is not published."""
    t = await table(uow, stats_data_id)
    if t is None:
        return None
    out = cube.dataset(t.facts, t.objs)
    async for batch in pages(uow, t):
        out += batch
    return out

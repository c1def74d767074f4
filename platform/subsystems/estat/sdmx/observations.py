"""A flow's observations for a data query, read through statdb's read interface and grouped into
series (the key without TIME_PERIOD), in the table's order. A cell holding a special character has
no value and an OBS_STATUS (statdb.flags), as the e-Stat API shows the character."""

from __future__ import annotations

import datetime as dt

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.sdmx import keys, periods
from govstat.platform.subsystems.estat.sdmx.errors import SdmxError
from govstat.platform.subsystems.estat.sdmx.flows import Flow
from govstat.platform.subsystems.statdb import flags
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.revisions import read as revisions
from govstat.platform.subsystems.statdb.revisions.rows import Version

MAX_OBSERVATIONS = 100_000  # as getStatsData's limit; more answers 413


class Obs(msgspec.Struct, frozen=True):
    period: str
    value: str | None  # the digits as stored
    status: str | None
    unit: str | None


class Series(msgspec.Struct):
    key: tuple[str, ...]
    obs: list[Obs]


class Query(msgspec.Struct, frozen=True):
    key: str | None = None
    start: tuple[dt.date, dt.date] | None = None
    end: tuple[dt.date, dt.date] | None = None


async def read(
    uow: UnitOfWork, flow: Flow, q: Query, version: Version | None = None, changed: str | None = None
) -> list[Series]:
    """The matching observations of the current version, or of an earlier `version` (includeHistory);
    `changed`: only the cells it names (statdb's revisions.changed_after, for updatedAfter)."""
    dims = [d.obj_id for d in flow.dims] + (["time"] if flow.time else [])
    narrowing = keys.narrowing(flow, q.key) + (keys.time_narrowing(q.start, q.end) if flow.time else [])
    sel = statdb.select(flow.table.id, dims, narrowing)
    if sel is None:
        return []
    narrowed = bool(narrowing) or changed is not None
    if changed is not None:
        sel = msgspec.structs.replace(sel, sql=f"{sel.sql} AND {changed}")
    if version is None:
        total = await statdb.count(uow, sel) if narrowed else flow.table.total_number
    else:
        total = await revisions.count_at(uow, sel, version)
    if total > MAX_OBSERVATIONS:
        raise SdmxError(413, f"{total} observations: narrow the key or the period (at most {MAX_OBSERVATIONS})")
    if version is None:
        rows = await statdb.values(uow, sel, dims, start=1, limit=max(total, 1), narrowed=narrowed)
    else:
        rows = await revisions.values_at(uow, sel, dims, version, start=1, limit=max(total, 1))
    series: dict[tuple[str, ...], Series] = {}
    key_dims = [d.obj_id for d in flow.dims]
    for r in rows:
        period = flow.period_of(getattr(r, "time", None) if flow.time else None)
        if not periods.within(period, q.start, q.end):
            continue
        key = tuple(str(getattr(r, d)) for d in key_dims)
        s = series.get(key)
        if s is None:
            s = series[key] = Series(key, [])
        if r.special:
            s.obs.append(Obs(period, None, flags.status(r.v, flow.notes), r.unit))
        else:
            s.obs.append(Obs(period, r.v, None, r.unit))
    return list(series.values())


def count(series: list[Series]) -> int:
    return sum(len(s.obs) for s in series)

"""includeHistory: a flow's data as each version of its table held it (statdb's versions: the
original, then each correction or extension), one data set per version, valid from the version's
date until the next one's. With updatedAfter, only the versions made after that instant."""

from __future__ import annotations

import datetime as dt

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.sdmx.errors import SdmxError
from govstat.platform.subsystems.estat.sdmx.flows import Flow
from govstat.platform.subsystems.estat.sdmx.observations import MAX_OBSERVATIONS, Query, Series, count, read
from govstat.platform.subsystems.statdb.revisions import read as revisions


class Vintage(msgspec.Struct):
    """One version's data set: `valid_to` None for the current version."""

    version: int
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    series: list[Series]


def stamp(at: dt.datetime) -> str:
    """xs:dateTime in UTC to the microsecond, so that updatedAfter=<a version's validFrom> leaves it out."""
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


async def vintages(uow: UnitOfWork, flow: Flow, q: Query, after: dt.datetime | None) -> list[Vintage]:
    t = flow.table
    history = sorted(await revisions.versions(uow, t.id), key=lambda v: v.version)
    if not history:
        history = [revisions.original(t.total_number, t.publish_at or t.updated_at)]
    out: list[Vintage] = []
    n = 0
    for i, v in enumerate(history):
        newest = i == len(history) - 1
        if after is not None and v.created_at <= after:
            continue
        series = await read(uow, flow, q, None if newest else v)
        n += count(series)
        if n > MAX_OBSERVATIONS:
            raise SdmxError(413, f"more than {MAX_OBSERVATIONS} observations over the versions: narrow the query")
        valid_to = None if newest else history[i + 1].created_at
        out.append(Vintage(v.version, v.created_at, valid_to, series))
    return out

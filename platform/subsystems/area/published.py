"""The area codes' read interface for the other parts (docs/decisions/0010): the standard area
codes valid on a day (statdb's area dimension) and a code's versions and successions (LOD).
Others never name area_version or area_link; they call these with their own unit of work."""

from __future__ import annotations

import datetime as dt

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True


class AreaCode(msgspec.Struct, kw_only=True):
    code: str
    pref_code: str
    desig_name: str = ""
    name: str
    level: str  # prefecture | designated_city | ward | city | town | village | district


class Version(msgspec.Struct, kw_only=True):
    code6: str
    name: str
    name_kana: str = ""
    pref_name: str
    level: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class Link(msgspec.Struct, kw_only=True):
    old_code: str
    new_code: str
    effective_on: dt.date


async def valid_on(uow: UnitOfWork, day: dt.date) -> dict[str, AreaCode]:
    """Every standard area code valid on `day`, by code."""
    rows = await uow.rows(
        AreaCode,
        "SELECT code, pref_code, desig_name, name, level FROM area_version"
        " WHERE (valid_from IS NULL OR valid_from <= $1) AND (valid_to IS NULL OR valid_to > $1)",
        day,
    )
    return {r.code: r for r in rows}


async def versions(uow: UnitOfWork, code: str) -> list[Version]:
    """The code's versions (names over time), oldest first."""
    return await uow.rows(
        Version,
        "SELECT code6, name, name_kana, pref_name, level, valid_from, valid_to FROM area_version"
        " WHERE code = $1 ORDER BY valid_from NULLS FIRST",
        code,
    )


async def links(uow: UnitOfWork, code: str) -> list[Link]:
    """The successions (廃置分合等) the code takes part in, old or new, by date."""
    return await uow.rows(
        Link,
        "SELECT old_code, new_code, effective_on FROM area_link WHERE old_code = $1 OR new_code = $1"
        " ORDER BY effective_on",
        code,
    )


class Succession(msgspec.Struct, kw_only=True, frozen=True):
    """One step of the history: `old_code` became (part of) `new_code` on `effective_on`; `kind` is
    the change's (merger_new, merger_absorb, split, rename, promotion, boundary, ...)."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    effective_on: dt.date
    kind: str


async def successions(uow: UnitOfWork, after: dt.date, until: dt.date) -> list[Succession]:
    """Every succession that took effect in (after, until], oldest first, each once (several
    廃置分合 records of one event repeat its links; a split's own record names it a split)."""
    rows = await uow.rows(
        Succession,
        "SELECT l.old_code, max(l.old_name) AS old_name, l.new_code, max(l.new_name) AS new_name, l.effective_on,"
        " CASE WHEN bool_or(c.kind = 'split') THEN 'split' ELSE min(c.kind) END AS kind"
        " FROM area_link l JOIN area_change c ON c.id = l.change_id"
        " WHERE l.effective_on > $1 AND l.effective_on <= $2"
        " GROUP BY l.old_code, l.new_code, l.effective_on ORDER BY l.effective_on, l.old_code, l.new_code",
        after,
        until,
    )
    return rows


async def links_between(uow: UnitOfWork, after: dt.date, until: dt.date) -> list[Link]:
    """Every succession effective in (after, until], oldest first: what a register follows forward."""
    return await uow.rows(
        Link,
        "SELECT old_code, new_code, effective_on FROM area_link WHERE effective_on > $1 AND effective_on <= $2"
        " AND old_code <> new_code ORDER BY effective_on, old_code",
        after,
        until,
    )

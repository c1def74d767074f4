"""Row types of the regional statistics: the catalogue's items and what the series and rankings
answer (docs/decisions/0007). Fields are the queries' columns."""

from __future__ import annotations

import datetime as dt

import msgspec


class Source(msgspec.Struct, kw_only=True, frozen=True):
    """Where a base item's values come from: one published statdb table, one code per other
    dimension (`select`). `parts_as_of`: the day whose municipalities the table's codes that are
    not valid on its survey date belong to (e-Stat's 「（旧：…）」 rows of the 2020 census: 2000-10-01)."""

    table: str
    select: dict[str, str] = {}
    parts_as_of: dt.date | None = None


class Indicator(msgspec.Struct, kw_only=True):
    """An item (項目) of the catalogue."""

    code: str
    position: int
    name_ja: str
    name_en: str
    definition: str
    unit: str
    kind: str  # base | share | change | density
    sources: list[Source]
    operands: list[str]
    updated_by: str
    updated_at: dt.datetime


class Part(msgspec.Struct, kw_only=True):
    """An old municipality a recombined value came from."""

    code: str
    name: str
    value: float | None = None


class Point(msgspec.Struct, kw_only=True):
    """One area's value in one year, on today's boundaries."""

    year: int
    value: float | None
    raw: str | None = None  # the special character when the table gives none
    recombined: bool = False
    boundary: dt.date | None = None  # the day whose municipalities the value was read on
    parts: list[Part] = []  # the old codes summed (recombined values)
    flags: list[str] = []  # why a value is missing or partial
    table: str = ""  # statsDataId


class Series(msgspec.Struct, kw_only=True):
    area: str
    name: str
    points: list[Point]
    check: list[Point] = []  # the same years read on earlier boundaries and recombined (検算)


class SeriesOut(msgspec.Struct, kw_only=True):
    indicator: Indicator
    series: list[Series]


class Ranked(msgspec.Struct, kw_only=True):
    rank: int | None
    area: str
    name: str
    value: float | None
    recombined: bool = False
    flags: list[str] = []


class RankingOut(msgspec.Struct, kw_only=True):
    indicator: Indicator
    year: int
    years: list[int]
    level: str
    pref: str = ""
    rows: list[Ranked]

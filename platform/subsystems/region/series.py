"""An item's values on today's boundaries, every year and area (REGION-1).

A year read on earlier boundaries (a table of that year, or e-Stat's 「（旧：…）」 rows) is carried to
today through recombine.py; prefectures and 全国 keep their codes. The municipalities' history
starts on 1970-04-01: an earlier year's municipal values are flagged, not guessed. Derived items
(shares, rates of change, density) are computed from the recombined values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from govstat.platform.cache import LocalCache
from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.region import catalogue, derived, recombine, sources
from govstat.platform.subsystems.region.rows import Indicator, Part, Point
from govstat.platform.subsystems.statdb import published as statdb

NATION = "00000"
Grid = dict[int, dict[str, Point]]  # year -> area -> point


@dataclass
class Matrix:
    indicator: Indicator
    points: Grid = field(default_factory=dict)
    check: Grid = field(default_factory=dict)  # years read on earlier boundaries, recombined
    unit: str = ""
    tables: list[str] = field(default_factory=list)

    def years(self) -> list[int]:
        return sorted(self.points)


@dataclass
class Context:
    """What one request reads once: today's codes, the history and the items already computed."""

    uow: UnitOfWork
    today: dt.date = field(default_factory=today_jst)
    codes: dict[dt.date, dict[str, area.AreaCode]] = field(default_factory=dict)
    steps: list[area.Succession] | None = None
    replayed: dict[dt.date, dict[str, recombine.Origin]] = field(default_factory=dict)
    done: dict[str, Matrix] = field(default_factory=dict)
    version: tuple[object, ...] | None = None

    async def codes_on(self, day: dt.date) -> dict[str, area.AreaCode]:
        if day not in self.codes:
            self.codes[day] = await area.valid_on(self.uow, day)
        return self.codes[day]

    async def current(self) -> dict[str, area.AreaCode]:
        return await self.codes_on(self.today)

    async def origins(self, since: dt.date) -> dict[str, recombine.Origin]:
        if since not in self.replayed:
            if self.steps is None:
                self.steps = await area.successions(self.uow, recombine.HISTORY_START, self.today)
            steps = [s for s in self.steps if s.effective_on > since]
            start = set(await self.codes_on(since))
            self.replayed[since] = recombine.replay(start, steps, set(await self.current()))
        return self.replayed[since]


CACHE_SECONDS = 300.0  # the area codes' history has no version to key on: an operator's change shows within this
_cache = LocalCache(ttl=CACHE_SECONDS, max_entries=200)  # per item code: (version, matrix)


async def _version(ctx: Context) -> tuple[object, ...]:
    """What a computed item depends on besides the area codes: the catalogue and its tables' publication."""
    items = await catalogue.all_items(ctx.uow)
    tables = sorted({s.table for i in items for s in i.sources})
    refs = await statdb.table_refs(ctx.uow, stats_data_ids=tables)
    return (
        ctx.today,
        tuple((i.code, i.updated_at) for i in items),
        tuple((r.stats_data_id, r.published_at) for r in refs),
    )


async def matrix(ctx: Context, code: str) -> Matrix:
    """The item's matrix, computed once per process for CACHE_SECONDS while nothing it reads changed."""
    if code in ctx.done:
        return ctx.done[code]
    if ctx.version is None:
        ctx.version = await _version(ctx)
    hit = _cache.get(code)
    if isinstance(hit, tuple) and hit[0] == ctx.version:
        ctx.done[code] = hit[1]
        return cast(Matrix, hit[1])
    m = await _compute(ctx, code)
    _cache.set(code, (ctx.version, m))
    return m


async def _compute(ctx: Context, code: str) -> Matrix:
    ind = await catalogue.item(ctx.uow, code)
    if ind.kind == "base":
        m = await _base(ctx, ind)
    else:
        operands = [await matrix(ctx, c) for c in ind.operands]
        m = Matrix(ind, unit=ind.unit, tables=sorted({t for o in operands for t in o.tables}))
        m.points = await derived.compute(ctx.uow, ind.kind, [o.points for o in operands])
        m.check = await derived.compute(ctx.uow, ind.kind, [o.check for o in operands]) if operands else {}
    ctx.done[code] = m
    return m


async def _base(ctx: Context, ind: Indicator) -> Matrix:
    m = Matrix(ind, unit=ind.unit)
    targets = list(await ctx.current())
    for src in ind.sources:
        data = await sources.read(ctx.uow, src, ctx.codes_on)
        if data is None:
            continue
        m.tables.append(src.table)
        m.unit = m.unit or data.unit
        for year, y in sorted(data.years.items()):
            grid = m.points.setdefault(year, {})
            for code, p in (await _carry(ctx, year, sources.census_day(year), y.values, {}, targets, data)).items():
                if code not in grid or grid[code].value is None:
                    grid[code] = p
            if data.parts_as_of and (y.old or y.portions):
                carried = await _carry(ctx, year, data.parts_as_of, y.old, y.portions, targets, data)
                m.check.setdefault(year, {}).update({c: p for c, p in carried.items() if p.recombined})
    return m


async def _carry(
    ctx: Context,
    year: int,
    boundary: dt.date,
    values: dict[str, Decimal | None],
    portions: dict[tuple[str, str], Decimal],
    targets: list[str],
    data: sources.TableData,
) -> dict[str, Point]:
    y = data.years[year]
    out: dict[str, Point] = {}
    for code in targets:  # prefectures and 全国 keep their codes whatever the year
        if (code.endswith("000") or code == NATION) and code in values:
            out[code] = Point(
                year=year, value=_f(values[code]), raw=y.raw.get(code), boundary=boundary, table=data.table
            )
    if boundary < recombine.HISTORY_START or all(c.endswith("000") for c in values):
        return out
    old_names = {c: a.name for c, a in (await ctx.codes_on(boundary)).items()}
    municipal = [c for c in targets if c not in out and not c.endswith("000")]
    for code, r in recombine.values_on(await ctx.origins(boundary), municipal, values, portions).items():
        if not r.parts and not r.portions:
            continue
        if not r.portions and not any(p in values for p in r.parts):
            continue  # the table has none of this area's parts
        parts = [Part(code=p, name=old_names.get(p, data.names.get(p, "")), value=_f(values.get(p))) for p in r.parts]
        parts += [
            Part(code=p, name=f"{old_names.get(p, '')}（一部 / part）", value=_f(portions.get((p, code))))
            for p in r.portions
        ]
        out[code] = Point(
            year=year,
            value=_f(r.value),
            raw=y.raw.get(code) if not r.recombined else None,
            recombined=r.recombined,
            boundary=boundary,
            parts=parts if r.recombined else [],
            flags=r.flags,
            table=data.table,
        )
    return out


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)

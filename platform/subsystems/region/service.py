"""The regional statistics' use cases, each one request's transaction: the operator's 項目定義, an
item's series for chosen areas, and a ranking of one year."""

from __future__ import annotations

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import emit
from govstat.platform.subsystems.region import catalogue, series
from govstat.platform.subsystems.region.events import IndicatorDefined
from govstat.platform.subsystems.region.rows import Indicator, Point, Ranked, RankingOut, Series, SeriesOut
from govstat.platform.subsystems.region.schemas import DefinitionIn

MUNICIPAL = frozenset({"designated_city", "city", "town", "village"})
MAX_AREAS = 50


async def define(uow: UnitOfWork, code: str, data: DefinitionIn, actor: str) -> Indicator:
    await catalogue.item(uow, code)  # 404 first
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
    if changes:
        sets = ", ".join(f"{k} = ${n}" for n, k in enumerate(changes, start=3))
        await uow.execute(
            f"UPDATE region_indicator SET {sets}, updated_by = $2, updated_at = now() WHERE code = $1",
            code,
            actor,
            *changes.values(),
        )
        await emit(uow, IndicatorDefined(code=code, fields=sorted(changes)))
    return await catalogue.item(uow, code)


def area_list(raw: str) -> list[str]:
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if not codes or len(codes) > MAX_AREAS or not all(c.isdigit() and len(c) == 5 for c in codes):
        raise InvalidInput.field(
            "areas", f"5桁の地域コードを1～{MAX_AREAS}個、カンマ区切りで / 1-{MAX_AREAS} five-digit codes"
        )
    return list(dict.fromkeys(codes))


async def series_of(uow: UnitOfWork, code: str, areas: list[str]) -> SeriesOut:
    ctx = series.Context(uow)
    m = await series.matrix(ctx, code)
    names = {c: a.name for c, a in (await ctx.current()).items()} | {series.NATION: "全国"}
    out = []
    for a in areas:
        points = [m.points[y][a] for y in m.years() if a in m.points[y]]
        check = [m.check[y][a] for y in sorted(m.check) if a in m.check[y]]
        out.append(Series(area=a, name=names.get(a, a), points=points, check=check))
    return SeriesOut(indicator=m.indicator, series=out)


async def ranking(uow: UnitOfWork, code: str, year: int | None, level: str, pref: str) -> RankingOut:
    ctx = series.Context(uow)
    m = await series.matrix(ctx, code)
    years = m.years()
    current = await ctx.current()
    if level == "pref":
        chosen = {c: a.name for c, a in current.items() if a.level == "prefecture"}
    else:
        if not (len(pref) == 2 and pref.isdigit()):
            raise InvalidInput.field("pref", "都道府県コード（2桁）/ a two-digit prefecture code")
        chosen = {
            c: (f"{a.desig_name}{a.name}" if a.level == "ward" else a.name)
            for c, a in current.items()
            if c[:2] == pref and (a.level in MUNICIPAL or (a.level == "ward" and c.startswith("131")))
        }
    if year is None:
        with_data = [y for y in years if any(c in m.points[y] for c in chosen)]
        year = with_data[-1] if with_data else (years[-1] if years else 0)
    elif year not in years:
        raise InvalidInput.field("year", f"{year}年の値はありません / no values for {year}")
    row = m.points.get(year, {})
    rows = [_ranked(c, n, row.get(c)) for c, n in chosen.items()]
    valued = sorted((r for r in rows if r.value is not None), key=lambda r: r.value or 0, reverse=True)
    previous, rank = None, 0
    for n, r in enumerate(valued, start=1):
        if r.value != previous:
            rank, previous = n, r.value
        r.rank = rank  # equal values share a rank
    rest = sorted((r for r in rows if r.value is None), key=lambda r: r.area)
    return RankingOut(indicator=m.indicator, year=year, years=years, level=level, pref=pref, rows=valued + rest)


def _ranked(code: str, name: str, p: Point | None) -> Ranked:
    if p is None:
        return Ranked(rank=None, area=code, name=name, value=None, flags=["値がありません / no value"])
    return Ranked(rank=None, area=code, name=name, value=p.value, recombined=p.recombined, flags=p.flags)

"""The regional statistics' first data: the prefecture census series 1920-2020 registered and
published through statdb (names matched to codes here), and the catalogue's first items drawn from
it and from the 2020 census table the demo seed publishes (with its 2000-boundary municipalities)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import uuid
from pathlib import Path

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.security import Scope
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.region.rows import Source
from govstat.platform.web.spreadsheet import csv_writer

DATA = Path(__file__).parent / "data"
PREF_CSV = DATA / "census-timeseries-pref-1920-2020.csv"
PREF_PARAMS = DATA / "census-pref-1920-2020.params.yaml"
CENSUS_DAY_2000 = dt.date(2000, 10, 1)


async def pref_series_csv(uow: UnitOfWork, text: str) -> bytes:
    """The series with each prefecture name replaced by its code (valid on 2020-10-01)."""
    codes = {a.name: c for c, a in (await area.valid_on(uow, dt.date(2020, 10, 1))).items() if a.level == "prefecture"}
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\n")
    w.writerow(["時間軸コード", "時間軸", "地域コード", "地域名", "人口"])
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        name, year = row["地域_時系列"], row["時間軸(調査年)"].removesuffix("年")
        if name not in codes or not year.isdigit():
            raise InvalidInput.field(
                f"line {n}", f"都道府県名・年が不明です / unknown prefecture or year: {name} {year}"
            )
        w.writerow([f"{year}000000", f"{year}年", codes[name], name, row["value"]])
    return out.getvalue().encode()


def items(pref_series: str, census: str) -> list[dict[str, object]]:
    """The first items: code, names, definition, unit, kind, sources, operands."""
    parts = CENSUS_DAY_2000

    def src(table: str, select: dict[str, str] | None = None, parts_as_of: dt.date | None = None) -> Source:
        return Source(table=table, select=select or {}, parts_as_of=parts_as_of)

    return [
        dict(
            code="A1101",
            name_ja="総人口",
            name_en="Total population",
            unit="人",
            kind="base",
            definition="国勢調査による常住人口（10月1日現在）。大正9年以降の都道府県別は時系列データ、"
            "市区町村別は令和2年国勢調査による。",
            sources=[src(pref_series), src(census, {"cat01": "0"}, parts)],
        ),
        dict(
            code="A110101",
            name_ja="総人口（男）",
            name_en="Population, male",
            unit="人",
            kind="base",
            definition="国勢調査による男性の常住人口（10月1日現在）。",
            sources=[src(census, {"cat01": "1"}, parts)],
        ),
        dict(
            code="A110102",
            name_ja="総人口（女）",
            name_en="Population, female",
            unit="人",
            kind="base",
            definition="国勢調査による女性の常住人口（10月1日現在）。",
            sources=[src(census, {"cat01": "2"}, parts)],
        ),
        dict(
            code="A1101_R",
            name_ja="人口増減率",
            name_en="Population change rate",
            unit="%",
            kind="change",
            definition="前回調査からの総人口の増減率。（当期－前期）÷前期×100。",
            operands=["A1101"],
        ),
        dict(
            code="A1103",
            name_ja="人口密度",
            name_en="Population density",
            unit="人/km²",
            kind="density",
            definition="総人口÷面積。面積は国土数値情報（行政区域、2021年1月1日）の境界を正積図法で測ったもの"
            "（国土地理院の公表面積と約1%異なる）。過去の年も今日の境域に組み替えた人口を今日の面積で割る。",
            operands=["A1101"],
        ),
        dict(
            code="A110102_S",
            name_ja="女性人口割合",
            name_en="Share of women",
            unit="%",
            kind="share",
            definition="総人口に占める女性人口の割合。女性人口÷総人口×100。",
            operands=["A110102", "A1101"],
        ),
    ]


async def upsert_items(uow: UnitOfWork, rows: list[dict[str, object]], actor: str) -> None:
    for pos, r in enumerate(rows, start=1):
        await uow.execute(
            "INSERT INTO region_indicator (code, position, name_ja, name_en, definition, unit, kind, sources,"
            " operands, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)"
            " ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, name_ja = EXCLUDED.name_ja,"
            " name_en = EXCLUDED.name_en, unit = EXCLUDED.unit, kind = EXCLUDED.kind, sources = EXCLUDED.sources,"
            " operands = EXCLUDED.operands",
            r["code"],
            pos,
            r["name_ja"],
            r["name_en"],
            r["definition"],
            r["unit"],
            r["kind"],
            msgspec.json.encode(r.get("sources", [])).decode(),
            msgspec.json.encode(r.get("operands", [])).decode(),
            actor,
        )


async def register_pref_series(owner: uuid.UUID) -> str:
    """Register and publish the prefecture series as `owner` (MIC: 国勢調査 is its statistic)."""
    from govstat.platform.subsystems.statdb import service

    scope = Scope.tenant(owner, role="agency", actor="seed")
    async with UnitOfWork(scope) as uow:
        data = await pref_series_csv(uow, PREF_CSV.read_text(encoding="utf-8"))
        table = await service.register(uow, service.Upload(PREF_PARAMS.read_bytes(), data, "census-pref.csv"))
    async with UnitOfWork(scope) as uow:
        await service.schedule(uow, table.stats_data_id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    await asyncio.sleep(1.1)
    async with UnitOfWork(Scope.system("seed")) as uow:
        await service.publish_due(uow)
    return table.stats_data_id


async def seed_catalogue(pref_series: str, census: str) -> None:
    """The demo's catalogue over the prefecture series and the 2020 census (both published)."""
    async with UnitOfWork(Scope.system("seed")) as uow:
        await upsert_items(uow, items(pref_series, census), "seed")

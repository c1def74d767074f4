"""Building and bulk-loading a generated register: places from the area codes valid on 2024-01-01,
JSIC Rev.14 細分類 from the classification database, then COPY into a temporary table and one
INSERT ... SELECT per table (COPY FROM cannot write a table under row-level security)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.classification import published as classification
from govstat.platform.subsystems.frame import generator, postal

PLACES_ON = dt.date(2024, 1, 1)
MUNICIPAL = ("city", "town", "village", "ward")
Progress = Callable[[str, int], None]


async def places(uow: UnitOfWork, day: dt.date = PLACES_ON) -> list[generator.Place]:
    """The municipalities (and designated cities' wards) valid on `day`, weighted by how many postal
    codes Japan Post gives them (a proxy of their number of businesses)."""
    codes = await area.valid_on(uow, day)
    prefs = {c.pref_code: c.name for c in codes.values() if c.level == "prefecture"}
    counts = postal.codes_by_municipality()
    out = []
    for c in sorted(codes.values(), key=lambda c: c.code):
        if c.level in MUNICIPAL and c.code in counts:
            weight = len(counts[c.code]) ** 0.7 * (2.0 if c.level == "ward" else 1.0)
            out.append(generator.Place(c.code, prefs.get(c.pref_code, ""), f"{c.desig_name}{c.name}", weight))
    return out


async def jsic(uow: UnitOfWork) -> tuple[list[tuple[str, str]], frozenset[str]]:
    rev14 = await classification.items_at_level(uow, "jsic-14", 4)
    rev13 = await classification.items_at_level(uow, "jsic-13", 4)
    return [(i.code, i.major) for i in rev14], frozenset(i.code for i in rev13)


async def copy_in(uow: UnitOfWork, table: str, columns: Sequence[str], records: list[tuple[Any, ...]]) -> int:
    tmp = f"{table}_load"
    cols = ", ".join(columns)
    await uow.execute(f"CREATE TEMP TABLE IF NOT EXISTS {tmp} (LIKE {table}) ON COMMIT DROP")
    await uow.execute(f"TRUNCATE {tmp}")
    await uow.connection.copy_records_to_table(tmp, records=records, columns=list(columns))
    await uow.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {tmp}")
    return len(records)


async def generate_into(uow: UnitOfWork, *, seed: int, count: int, progress: Progress | None = None) -> dict[str, int]:
    """Generate `count` establishments after the ones there (ids go on) and load them (system scope)."""
    first = int(await uow.fetchval("SELECT coalesce(max(id), 0) + 1 FROM frame_establishment"))
    first_ent = int(await uow.fetchval("SELECT coalesce(max(id), 0) + 1 FROM frame_enterprise"))
    codes, rev13 = await jsic(uow)
    reg = generator.generate(seed, count, await places(uow), codes, rev13, first_id=first)
    if first_ent != first:  # enterprise ids go on from their own maximum
        shift = first_ent - first
        reg.enterprises = [(r[0] + shift, *r[1:]) for r in reg.enterprises]
        reg.establishments = [(*r[:3], r[3] + shift, *r[4:]) for r in reg.establishments]
    if progress:
        progress("generated", count)
    await uow.long_running()
    counts = {
        "enterprises": await copy_in(uow, "frame_enterprise", generator.ENTERPRISE_COLUMNS, reg.enterprises),
        "establishment_versions": await copy_in(
            uow, "frame_establishment", generator.ESTABLISHMENT_COLUMNS, reg.establishments
        ),
        "establishments": await copy_in(uow, "frame_prn", generator.PRN_COLUMNS, reg.prns),
    }
    if progress:
        progress("loaded", count)
    return counts


DEMO_SEED = 20241001  # the demo register's seed: the same register on every machine


async def seed_demo(count: int) -> dict[str, int]:
    """The demo's register (`govstat seed --demo`): `count` establishments, if the register is empty."""
    from govstat.platform.security import Scope

    async with UnitOfWork(Scope.system("seed")) as uow:
        if await uow.fetchval("SELECT count(*) FROM frame_prn"):
            return {}
        return await generate_into(uow, seed=DEMO_SEED, count=count)

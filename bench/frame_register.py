"""The business register at demo size: register search p95 over 200,000 establishments, and a frame
extraction of about 50,000 units with a PRN sample drawn from it (`python bench/frame_register.py`).

  (a) search: 200 searches of the operator's register search (the same query the API runs: count and
      a page of 50, as of today, with a JOIN to the enterprise for its corporate number), with a mix of
      filters (name part, JSIC prefix, prefecture, size, corporate number), p50 / p95 in ms; goal p95 < 200;
  (b) extraction: the population of a filter matching about 50,000 establishments as of a reference
      date with their PRNs, then a sequential Poisson pi-ps draw of 2,000 with the burden rule; goal < 10 s.

Needs a migrated, seeded database; generates the demo register (200,000) if there is none and times it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time

import numpy as np


async def main() -> None:
    from govstat.platform.db.engine import start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.frame import queries, sampling
    from govstat.platform.subsystems.frame.draws import burden_counts
    from govstat.platform.subsystems.frame.loader import seed_demo
    from govstat.platform.subsystems.frame.schemas import BurdenRule, Population

    await start_pool()
    t = time.perf_counter()
    made = await seed_demo(200_000)
    if made:
        print(f"generated and loaded the demo register {made} in {time.perf_counter() - t:.1f} s")
    op = Scope(role="operator", actor="bench")
    rng = np.random.default_rng(1)
    async with UnitOfWork(op) as uow:
        count = await uow.fetchval("SELECT count(*) FROM frame_establishment WHERE valid_to IS NULL")
        numbers = [r[0] for r in await uow.fetch("SELECT corporate_number FROM frame_enterprise WHERE corporate_number"
                                                  " IS NOT NULL LIMIT 50")]  # fmt: skip
    print(f"register: {count:,} current establishments")
    today, times, by_kind = dt.date.today(), [], {}
    words = ["山田", "商事", "クリニック", "建設", "サクラ", "本店", "食堂"]
    for i in range(200):
        kind = i % 5
        pop = Population(
            industries=[f"{rng.integers(1, 99):02d}"] if kind in (1, 3) else [],
            areas=[f"{rng.integers(1, 48):02d}"] if kind in (2, 3) else [],
            min_employees=int(rng.choice([0, 5, 20, 100])) if kind == 3 else 0,
        )
        q = words[i % len(words)] if kind == 0 else (numbers[i % len(numbers)] if kind == 4 else "")
        start = time.perf_counter()
        async with UnitOfWork(op) as uow:
            await queries.search(uow, pop, day=today, q=q, limit=50, offset=0)
        times.append((time.perf_counter() - start) * 1000)
        by_kind.setdefault(
            ["name", "industry", "prefecture", "industry+prefecture+size", "corporate number"][kind], []
        ).append(times[-1])
    times.sort()
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
    print(f"(a) search: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms (goal p95 < 200 ms)")
    for name, ts in by_kind.items():
        ts.sort()
        print(f"    {name}: p50 {statistics.median(ts):.0f} ms, p95 {ts[int(len(ts) * 0.95) - 1]:.0f} ms")

    pop = Population(areas=["11", "12", "13", "14", "27", "23"])  # about a quarter of the register
    start = time.perf_counter()
    async with UnitOfWork(op) as uow:
        units = await queries.units(uow, pop, dt.date(2024, 6, 1))
        t1 = time.perf_counter()
        rule = BurdenRule()
        small = [u.id for u in units if u.employees < rule.small_below]
        counts = await burden_counts(uow, small, dt.date(2024, 6, 1), rule, 10**12)
    blocked = np.array([counts.get(u.id, 0) >= rule.cap for u in units])
    d = sampling.draw(np.array([u.prn for u in units]), 2000, "sequential_poisson", start=0.3,
                      size=np.array([max(u.employees, 1) for u in units], dtype=np.float64), blocked=blocked)  # fmt: skip
    total = time.perf_counter() - start
    print(f"(b) extraction of {len(units):,} units in {t1 - start:.2f} s, with the burden check and a PRN draw of"
          f" {len(d.selected):,}: {total:.2f} s (goal < 10 s)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())

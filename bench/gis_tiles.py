"""Vector tile latency of the statistical GIS (issue 12 §2): cold (drawn by PostGIS) against cached
(Redis), through the whole app (gateway, metering) in process, for the 2020 census choropleth.

    GOVSTAT_DATABASE_URL=... GOVSTAT_REDIS_URL=... .venv/bin/python bench/gis_tiles.py [--tiles 200]

Picks random tiles over Japan at zooms 4-12 (each zoom equally), clears the GIS's tile cache, asks
each tile once (cold) and then again (cached), and prints p50/p95/max per pass and the ratio.
Goals: p95 under 300 ms cold, under 50 ms cached. Needs a migrated, seeded database."""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import time


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(p * (len(s) - 1)))]


async def main(count: int) -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    import httpx

    from govstat.platform.cache import redis_client
    from govstat.platform.db.engine import start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.root.app import create_app
    from govstat.platform.security import Scope

    await start_pool()
    async with UnitOfWork(Scope.system("bench")) as uow:
        sid = await uow.fetchval("SELECT stats_data_id FROM stat_table WHERE gov_stat_code = '00200521' LIMIT 1")
    rng = random.Random(7)
    towns = [(35.68, 139.76), (34.69, 135.50), (43.06, 141.35), (33.59, 130.40), (34.68, 135.83), (38.27, 140.87)]
    urls = []
    for i in range(count):
        z = 4 + i % 9
        lat, lon = rng.choice(towns)
        x, y = tile_of(lat + rng.uniform(-1, 1), lon + rng.uniform(-1, 1), z)
        urls.append(f"/api/gis/tiles/municipality/{z}/{x}/{y}.mvt?table={sid}&cat01=0")
    redis = redis_client()
    async for key in redis.scan_iter("gis:tile:*"):
        await redis.delete(key)
    transport = httpx.ASGITransport(app=create_app(), client=("10.9.9.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as c:
        await c.get("/api/gis/boundaries")  # warm the pool and the app
        passes: dict[str, list[float]] = {"cold": [], "cached": []}
        sizes = []
        for name in ("cold", "cached"):
            for url in urls:
                t0 = time.perf_counter()
                r = await c.get(url)
                passes[name].append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, r.text
                assert r.headers["x-tile-cache"] == ("miss" if name == "cold" else "hit") or name == "cold"
                sizes.append(len(r.content))
    for name, ms in passes.items():
        print(
            f"{name:7s} tiles {len(ms):4d}  p50 {statistics.median(ms):7.1f} ms  p95 {pct(ms, 0.95):7.1f} ms  max {max(ms):7.1f} ms"
        )
    print(f"tile size: median {statistics.median(sizes) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB")
    print(f"cold / cached p95 ratio: {pct(passes['cold'], 0.95) / pct(passes['cached'], 0.95):.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiles", type=int, default=200)
    asyncio.run(main(parser.parse_args().tiles))

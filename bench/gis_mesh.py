"""One million random points against the mesh module (issue 12 §5): each point's code at every level
(1-4) must name a mesh whose bounds hold the point, and each level's code must extend the coarser one.

    .venv/bin/python bench/gis_mesh.py [N]

Prints the points checked, the failures (must be 0) and the codes per second."""

from __future__ import annotations

import random
import sys
import time

from govstat.platform.subsystems.gis import mesh


def main(n: int) -> None:
    rng = random.Random(2021)
    failures = 0
    t0 = time.perf_counter()
    for _ in range(n):
        lat, lon = rng.uniform(20.0, 46.0), rng.uniform(122.0, 154.0)
        previous = ""
        for level in (1, 2, 3, 4):
            code = mesh.code_of(lat, lon, level)
            west, south, east, north = mesh.bounds(code)
            if not (south <= lat < north and west <= lon < east and code.startswith(previous)):
                failures += 1
            previous = code
    seconds = time.perf_counter() - t0
    print(f"points: {n:,}  codes checked: {4 * n:,}  failures: {failures}")
    print(f"code_of + bounds: {4 * n / seconds:,.0f} per second ({seconds:.1f} s)")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

"""Secondary suppression and its LP audit at growing table sizes (no published figure to beat).

    .venv/bin/python bench/onsite_suppression.py [--sizes 1000,10000,100000,1000000] [--time-limit 20]

Each table is a synthetic two- or three-way cube of counts with all its margins, about 3 % of its
interior cells under the threshold. Prints, per size: the exact MIP (HiGHS) or, past its time bound
or model size, the fallback; the cells suppressed; the LP audit's time and its verdict."""

from __future__ import annotations

import argparse
import itertools
import math
import time

import numpy as np

from govstat.platform.subsystems.onsite.sdc import audit, rules, secondary
from govstat.platform.subsystems.onsite.sdc.cube import Cell, complete


def cube(cells: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    dims = 2 if cells <= 20_000 else 3
    side = max(2, round(cells ** (1 / dims)) - 1)
    cats = [[f"c{i:03d}" for i in range(side)] for _ in range(dims)]
    found = {}
    for key in itertools.product(*cats):
        n = int(rng.integers(1, 9)) if rng.random() < 0.03 else int(rng.integers(10, 200))
        found[key] = Cell(key=key, n=n, value=float(n))
    for level in range(1, dims + 1):  # margins: sum the interior cells into every total
        for totals in itertools.combinations(range(dims), level):
            sums: dict = {}
            for key, cell in list(found.items()):
                if any(p is None for p in key):
                    continue
                k = tuple(None if j in totals else p for j, p in enumerate(key))
                sums[k] = sums.get(k, 0) + cell.n
            for k, n in sums.items():
                found[k] = Cell(key=k, n=n, value=float(n))
    return complete([f"v{j}" for j in range(dims)], cats, found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    r = rules.Rules()
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        c = cube(size)
        build = time.perf_counter() - started
        sensitive = {i: rules.protection(c.cells[i], r) for i in rules.primary(c, r, magnitude=False)}
        pattern = secondary.suppress(c, sensitive, time_limit=args.time_limit)
        started = time.perf_counter()
        found = audit.intervals(c, pattern.suppressed) if len(pattern.suppressed) <= 5_000 else None
        took = time.perf_counter() - started
        verdict = (
            "skipped (over 5,000 suppressed cells)"
            if found is None
            else ("safe" if not audit.failures(c, sensitive, found) else "UNSAFE")
        )
        objective = "" if math.isnan(pattern.objective) else f", loss {pattern.objective:,.0f}"
        print(
            f"{len(c.cells):>9,} cells ({build:.1f} s to build), {len(sensitive):,} sensitive: {pattern.status} in"
            f" {pattern.seconds:.2f} s ({pattern.size[0]:,} columns{objective}), {len(pattern.suppressed):,} suppressed;"
            f" LP audit {took:.2f} s: {verdict}",
            flush=True,
        )


if __name__ == "__main__":
    main()

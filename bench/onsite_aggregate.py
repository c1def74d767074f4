"""On-site aggregation over 1,000,000 synthetic person records (ONSITE-1 target: under a second).

    .venv/bin/python bench/onsite_aggregate.py [--scale 0.756]

Times, for the dataset as it rests (Parquet sealed with AES-256-GCM under its data key): unsealing
and decoding it, then the DuckDB cube of several tables (count, mean, median, by up to three
variables, with a filter) and, separately, the output checking of each. Prints each time and its
ratio to the one-second target."""

from __future__ import annotations

import argparse
import os
import time
import uuid

from govstat.platform.subsystems.onsite import aggregate, checking, crypto, synth, upload
from govstat.platform.subsystems.onsite.schemas import Filter, TableIn
from govstat.platform.subsystems.onsite.sdc.rules import Rules

TARGET = 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.756)  # 1,324,473 × 0.756 ≈ 1,001,300 persons
    args = parser.parse_args()
    people = synth.persons(scale=args.scale)
    kinds = {v.name: v for v in synth.PERSON_VARIABLES}
    dataset_id = uuid.uuid4()
    sealed = crypto.seal(dataset_id, upload.to_parquet(people))
    print(
        f"records: {people.num_rows:,}; sealed Parquet: {len(sealed.ciphertext) / 1e6:.1f} MB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    data = upload.from_parquet(crypto.unseal(dataset_id, sealed))
    load = time.perf_counter() - started
    print(f"unseal + decode: {load:.3f} s ({load / TARGET:.2f} of the target)")
    d = str(dataset_id)
    specs = {
        "count by municipality": TableIn(dataset_id=d, group_by=["municipality"]),
        "count by municipality × sex × age": TableIn(dataset_id=d, group_by=["municipality", "sex", "age_group"]),
        "mean income by sex × age, workers": TableIn(
            dataset_id=d,
            statistic="mean",
            variable="income",
            group_by=["sex", "age_group"],
            filters=[Filter(variable="work_hours", op="ge", value=1.0)],
        ),
        "median hours by municipality": TableIn(
            dataset_id=d, statistic="quantile", variable="work_hours", group_by=["municipality"]
        ),
    }
    rules = Rules()
    for name, spec in specs.items():
        started = time.perf_counter()
        cube = aggregate.cube(data, spec, kinds, rules.dominance_k)
        took = time.perf_counter() - started
        started = time.perf_counter()
        checked = checking.check(cube, rules, spec.statistic)
        check_took = time.perf_counter() - started
        suppressed = sum(1 for s in checked.statuses if s != checking.PUBLISHED)
        print(
            f"{name}: {len(cube.cells):,} cells; aggregate {took:.3f} s = {took / TARGET:.2f} of the target"
            f" (first query of a session, with unseal + decode: {(load + took) / TARGET:.2f});"
            f" checking {check_took:.3f} s, {suppressed} suppressed, solver {checked.evidence['solver']['status']},"
            f" audit {'passed' if not checked.failures else 'FAILED: refused'}"
        )


if __name__ == "__main__":
    main()

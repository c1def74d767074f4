"""The differencing check: a new table against each of the researcher's earlier released tables of
the same dataset. Both publish every margin, so for every cell over the grouping variables they
share (and its totals), the units one filter takes in and the other does not are counted in the
data; when one side is empty and the other holds 1..N-1 units, and both tables publish that cell,
subtracting them would isolate those units: the new table is refused."""

from __future__ import annotations

from typing import Any

import msgspec
import pyarrow as pa

from govstat.platform.subsystems.onsite import aggregate
from govstat.platform.subsystems.onsite.checking import PUBLISHED
from govstat.platform.subsystems.onsite.rows import OutputRow
from govstat.platform.subsystems.onsite.schemas import TableIn, Variable
from govstat.platform.subsystems.onsite.sdc.cube import Cube


def findings(
    data: pa.Table,
    spec: TableIn,
    cube: Cube,
    statuses: list[str],
    earlier: list[OutputRow],
    kinds: dict[str, Variable],
    threshold: int,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    new_filters = sorted(msgspec.to_builtins(spec.filters), key=repr)
    for old in earlier:
        old_spec = msgspec.convert(old.spec, TableIn)
        old_filters = sorted(msgspec.to_builtins(old_spec.filters), key=repr)
        if old_filters == new_filters or any(f.variable not in kinds for f in old_spec.filters):
            continue
        shared = [g for g in spec.group_by if g in old_spec.group_by]
        old_status = {tuple(c["key"]): c["status"] for c in old.cells}
        diffs = aggregate.differences(data, shared, list(spec.filters), list(old_spec.filters), kinds)
        for key, only_old, only_new in diffs:
            small = (only_old == 0 and 0 < only_new < threshold) or (only_new == 0 and 0 < only_old < threshold)
            if not small:
                continue
            new_key = aggregate.project(key, shared, list(spec.group_by))
            old_key = aggregate.project(key, shared, list(old_spec.group_by))
            new_index = cube.index.get(new_key)
            if new_index is None or statuses[new_index] != PUBLISHED or old_status.get(old_key) != PUBLISHED:
                continue
            out.append(
                {"output_id": str(old.id), "key": list(key), "variables": shared, "units": max(only_old, only_new)}
            )
    return out

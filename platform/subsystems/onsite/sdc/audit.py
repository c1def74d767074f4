"""The audit after suppression: each suppressed cell's feasible interval, computed by linear
programming over what an attacker knows (the published cells, the table's relations, values never
negative), and required to reach past the protection level of every sensitive cell."""

from __future__ import annotations

import math

import highspy
import numpy as np

from govstat.platform.subsystems.onsite.sdc.cube import Cube

Interval = tuple[float, float]
TOLERANCE = 1e-6


def intervals(cube: Cube, suppressed: set[int]) -> dict[int, Interval]:
    if not suppressed:
        return {}
    order = sorted(suppressed)
    col = {cell: j for j, cell in enumerate(order)}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    m = len(order)
    h.addVars(m, np.zeros(m), np.full(m, highspy.kHighsInf))
    starts: list[int] = []
    idx: list[int] = []
    val: list[float] = []
    rhs: list[float] = []
    for eq in cube.equations():
        hidden = [(col[i], c) for i, c in eq if i in col]
        if not hidden:
            continue
        starts.append(len(idx))
        idx.extend(j for j, _ in hidden)
        val.extend(c for _, c in hidden)
        rhs.append(-sum(c * cube.cells[i].value for i, c in eq if i not in col))
    if starts:
        bounds = np.array(rhs)
        h.addRows(
            len(starts),
            bounds,
            bounds,
            len(idx),
            np.array(starts, dtype=np.int32),
            np.array(idx, dtype=np.int32),
            np.array(val),
        )
    out: dict[int, Interval] = {}
    every = np.arange(m, dtype=np.int32)
    for cell, j in col.items():
        costs = np.zeros(m)
        costs[j] = 1.0
        h.changeColsCost(m, every, costs)
        bounds_found = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                bounds_found.append(float(h.getInfo().objective_function_value))
            else:  # unbounded above (nothing ties the cell down) or infeasible (never, for a true table)
                bounds_found.append(math.inf if sense == highspy.ObjSense.kMaximize else 0.0)
        out[cell] = (bounds_found[0], bounds_found[1])
    return out


def failures(cube: Cube, sensitive: dict[int, tuple[float, float]], found: dict[int, Interval]) -> list[int]:
    """Sensitive cells whose interval is narrower than their protection (or that are not suppressed)."""
    bad = []
    for i, (lpl, upl) in sensitive.items():
        if i not in found:
            bad.append(i)
            continue
        lo, hi = found[i]
        value = cube.cells[i].value
        if lo > value - lpl + TOLERANCE or hi < value + upl - TOLERANCE:
            bad.append(i)
    return bad

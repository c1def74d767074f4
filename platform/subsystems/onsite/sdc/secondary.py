"""Secondary suppression, solved exactly: the smallest loss of information such that no suppressed
cell can be recovered from the published cells and the table's relations (margins).

The model is the compact one of Fischetti and Salazar-González: binary x_i (cell i suppressed), and
for every sensitive cell p and each direction an attacker's deviation y^{p,±} from the true table
that satisfies every relation, moves only suppressed cells (|y_i| bounded by x_i), keeps cells
non-negative, and moves p by its full protection level. Such a deviation exists exactly when the
attacker's interval for p is wide enough, so the MIP's optimum is a minimal safe pattern. HiGHS
solves it within a time bound; past it, its incumbent (still safe) is taken, or the fallback below,
and the LP audit (audit.py) checks whatever is released either way."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from govstat.platform.subsystems.onsite.sdc.cube import Cube

OPTIMAL = "optimal"
INCUMBENT = "time_limit_incumbent"  # the time bound was hit; the best pattern found so far is safe
FALLBACK = "fallback"  # no MIP pattern within the bound (or the model too big): the heuristic's
TRIVIAL = "no_sensitive_cells"


@dataclass
class Pattern:
    suppressed: set[int]
    status: str
    objective: float
    seconds: float
    size: tuple[int, int]  # the model's columns and rows


def suppress(
    cube: Cube, sensitive: dict[int, tuple[float, float]], *, time_limit: float = 10.0, max_columns: int = 300_000
) -> Pattern:
    """`sensitive`: cell -> (lower, upper) protection levels."""
    started = time.perf_counter()
    if not sensitive:
        return Pattern(set(), TRIVIAL, 0.0, 0.0, (0, 0))
    cells, eqs = cube.cells, cube.equations()
    n = len(cells)
    start = _heuristic(cube, eqs, sensitive, started + time_limit)
    columns = n * (1 + 2 * len(sensitive))
    if columns > max_columns:
        return Pattern(start, FALLBACK, float("nan"), time.perf_counter() - started, (columns, 0))
    values = np.array([max(c.value, 0.0) for c in cells])
    big = float(values.max()) if n else 1.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    lower, upper, cost = np.zeros(columns), np.empty(columns), np.zeros(columns)
    upper[:n] = 1.0
    cost[:n] = values + 1.0  # information lost: the suppressed magnitude, and one per cell
    for p in sensitive:
        lower[p] = 1.0
    blocks = []
    for q, (p, (lpl, upl)) in enumerate(sensitive.items()):
        for d, target in ((0, upl), (1, -lpl)):  # the attacker's deviation upward, then downward
            off = n * (1 + 2 * q + d)
            lower[off : off + n], upper[off : off + n] = -values, big
            lower[off + p] = upper[off + p] = target
            blocks.append((p, off))
    rows_lo: list[float] = []
    rows_hi: list[float] = []
    starts: list[int] = []
    idx: list[int] = []
    val: list[float] = []

    def row(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        starts.append(len(idx))
        idx.extend(e[0] for e in entries)
        val.extend(e[1] for e in entries)
        rows_lo.append(lo)
        rows_hi.append(hi)

    for p, off in blocks:
        for eq in eqs:
            row([(off + i, c) for i, c in eq], 0.0, 0.0)
        for i in range(n):
            if i != p:
                row([(off + i, 1.0), (i, -big)], -inf, 0.0)  # y_i <= big * x_i
                row([(off + i, 1.0), (i, float(values[i]))], 0.0, inf)  # y_i >= -value_i * x_i
    h.addVars(columns, lower, upper)
    h.changeColsCost(columns, np.arange(columns, dtype=np.int32), cost)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger))
    h.addRows(
        len(starts),
        np.array(rows_lo),
        np.array(rows_hi),
        len(idx),
        np.array(starts, dtype=np.int32),
        np.array(idx, dtype=np.int32),
        np.array(val),
    )
    # the heuristic's pattern as the starting incumbent: the MIP only ever improves on it
    h.setSolution(n, np.arange(n, dtype=np.int32), np.array([1.0 if i in start else 0.0 for i in range(n)]))
    h.setOptionValue("time_limit", max(0.5, started + time_limit - time.perf_counter()))
    h.run()
    size = (columns, len(starts))
    status = h.getModelStatus()
    has_solution = h.getInfo().primal_solution_status == 2
    if not has_solution:
        return Pattern(start, FALLBACK, float("nan"), time.perf_counter() - started, size)
    x = h.getSolution().col_value[:n]
    chosen = {i for i in range(n) if x[i] > 0.5}
    label = OPTIMAL if status == highspy.HighsModelStatus.kOptimal else INCUMBENT
    return Pattern(chosen, label, float(h.getInfo().objective_function_value), time.perf_counter() - started, size)


def _heuristic(
    cube: Cube, eqs: list[list[tuple[int, float]]], sensitive: dict[int, tuple[float, float]], deadline: float
) -> set[int]:
    """A pattern found fast, the MIP's starting point and the fallback when it finds nothing better
    in time: no relation may hide exactly one cell (it would be its total minus the rest), so each
    such relation hides one more, its smallest cell that can still move by the protection level;
    then the LP audit, and for each cell still too narrow one more partner in each of its
    relations, until the audit passes or time runs out. Not minimal; whatever is released is
    audited again by the caller."""
    from govstat.platform.subsystems.onsite.sdc import audit

    chosen = set(sensitive)
    values = [c.value for c in cube.cells]
    need = max((lv[1] for lv in sensitive.values()), default=1.0)

    def partner(members: list[int]) -> int | None:
        free = [i for i in members if i not in chosen]
        if not free:
            return None
        roomy = [i for i in free if values[i] >= need] or free
        return min(roomy, key=lambda i: values[i])

    while True:
        grew = True
        while grew:
            grew = False
            for eq in eqs:
                members = [i for i, _ in eq]
                if sum(1 for i in members if i in chosen) == 1 and (pick := partner(members)) is not None:
                    chosen.add(pick)
                    grew = True
        bad = audit.failures(cube, sensitive, audit.intervals(cube, chosen))
        if not bad or time.perf_counter() > deadline:
            break
        for cell in bad:
            for eq in eqs:
                members = [i for i, _ in eq]
                if cell in members and (pick := partner(members)) is not None:
                    chosen.add(pick)
    return chosen

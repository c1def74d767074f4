"""Primary suppression: the threshold rule (a cell of fewer than N units) and the dominance rule
(the k largest contributors over p% of the cell total), and each sensitive cell's protection level."""

from __future__ import annotations

from dataclasses import dataclass

from govstat.platform.subsystems.onsite.sdc.cube import Cell, Cube

THRESHOLD = "threshold"
DOMINANCE = "dominance"


@dataclass(frozen=True)
class Rules:
    threshold: int = 10  # N: units a published cell is built from, at least
    dominance_k: int = 2
    dominance_p: float = 85.0  # percent
    protection_pct: float = 20.0  # a suppressed cell's interval must reach value ± this percent (at least 1)


def primary(cube: Cube, rules: Rules, *, magnitude: bool) -> dict[int, str]:
    """Sensitive cells and why. Empty cells (0 units) are published: they describe no one."""
    out: dict[int, str] = {}
    for i, cell in enumerate(cube.cells):
        if 0 < cell.n < rules.threshold:
            out[i] = THRESHOLD
        elif magnitude and cell.value > 0 and cell.top > rules.dominance_p / 100.0 * cell.value:
            out[i] = DOMINANCE
    return out


def protection(cell: Cell, rules: Rules) -> tuple[float, float]:
    """(lower, upper) protection: how far below and above the true value the feasible interval must
    reach. Values are non-negative, so the lower one stops at zero."""
    level = max(1.0, rules.protection_pct / 100.0 * abs(cell.value))
    return min(level, max(cell.value, 0.0)), level

"""Output checking before anything is shown: primary rules, exact secondary suppression, the LP
audit of every suppressed cell, and the evidence record from which each status is recomputed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import highspy

from govstat.platform.subsystems.onsite.sdc import audit, rules, secondary
from govstat.platform.subsystems.onsite.sdc.cube import Cell, Cube, complete

PUBLISHED = "published"
SECONDARY = "secondary"
TIME_LIMIT = 5.0  # seconds for the MIP; past it, the incumbent or the fallback (both audited)


@dataclass
class Checked:
    statuses: list[str]  # per cell: published | threshold | dominance | secondary
    failures: list[int]  # sensitive cells the audit found too narrow: the output is refused
    evidence: dict[str, Any]


def check(cube: Cube, r: rules.Rules, statistic: str, *, time_limit: float = TIME_LIMIT) -> Checked:
    magnitude = statistic in ("sum", "mean")
    sensitive = rules.primary(cube, r, magnitude=magnitude)
    levels = {i: rules.protection(cube.cells[i], r) for i in sensitive}
    if statistic == "quantile":  # not additive: no margin recovers a quantile, primary rules only
        pattern = secondary.Pattern(set(sensitive), secondary.TRIVIAL, 0.0, 0.0, (0, 0))
        found: dict[int, audit.Interval] = {}
        fails: list[int] = []
    else:
        pattern = secondary.suppress(cube, levels, time_limit=time_limit)
        found = audit.intervals(cube, pattern.suppressed)
        fails = audit.failures(cube, levels, found)
    statuses = [sensitive.get(i, SECONDARY if i in pattern.suppressed else PUBLISHED) for i in range(len(cube.cells))]
    evidence = {
        "rules": r.__dict__,
        "statistic": statistic,
        "variables": cube.variables,
        "categories": cube.categories,
        "cells": [
            {
                "key": list(c.key),
                "n": c.n,
                "value": c.value,
                "top": c.top,
                "shown": c.shown,
                "status": statuses[i],
                "interval": _json_interval(found.get(i)),
            }
            for i, c in enumerate(cube.cells)
        ],
        "solver": {
            "name": "HiGHS",
            "version": highspy.Highs().version(),
            "status": pattern.status,
            "objective": None if math.isnan(pattern.objective) else pattern.objective,
            "seconds": round(pattern.seconds, 4),
            "columns": pattern.size[0],
            "rows": pattern.size[1],
            "time_limit": time_limit,
        },
        "audit": {"failures": fails, "protection": {str(i): list(lv) for i, lv in levels.items()}},
    }
    return Checked(statuses, fails, evidence)


def recheck(evidence: dict[str, Any]) -> tuple[list[str], list[int]]:
    """From the evidence alone: every cell's primary status, and the LP audit of the recorded
    pattern. Equal to what was decided, or the record (or the checker) is wrong."""
    r = rules.Rules(**evidence["rules"])
    found = {
        tuple(c["key"]): Cell(key=tuple(c["key"]), n=c["n"], value=c["value"], top=c["top"]) for c in evidence["cells"]
    }
    cube = complete(evidence["variables"], evidence["categories"], found)
    sensitive = rules.primary(cube, r, magnitude=evidence["statistic"] in ("sum", "mean"))
    recorded = {tuple(c["key"]): c["status"] for c in evidence["cells"]}
    suppressed = {i for i, c in enumerate(cube.cells) if recorded[c.key] != PUBLISHED}
    statuses = [sensitive.get(i, SECONDARY if i in suppressed else PUBLISHED) for i in range(len(cube.cells))]
    if evidence["statistic"] == "quantile":
        return statuses, []
    levels = {i: rules.protection(cube.cells[i], r) for i in sensitive}
    return statuses, audit.failures(cube, levels, audit.intervals(cube, suppressed))


def _json_interval(iv: audit.Interval | None) -> list[float | None] | None:
    if iv is None:
        return None
    return [iv[0], None if math.isinf(iv[1]) else iv[1]]

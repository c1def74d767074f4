"""One line per figure that `make bench` gathers into its closing table (bench/run_all.py).

A benchmark prints its own detail as it likes, and calls `figure()` for each ratio or
measurement worth a row in the summary; run alone, the line reads fine as it is.
"""

from __future__ import annotations

import json

MARK = "@bench "


def figure(bench: str, name: str, value: float, unit: str = "", goal: str = "") -> None:
    row = {"bench": bench, "name": name, "value": round(float(value), 3), "unit": unit, "goal": goal}
    print(MARK + json.dumps(row, ensure_ascii=False), flush=True)


def parse(line: str) -> dict | None:
    return json.loads(line[len(MARK) :]) if line.startswith(MARK) else None

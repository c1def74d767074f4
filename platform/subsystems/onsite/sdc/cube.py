"""A cross-table of up to three grouping variables with all its margins (the cube) and its linear
relations: every total equals the sum of the cells one variable finer. A key holds a category per
variable, or None for the total (計) over that variable."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

Key = tuple[str | None, ...]


@dataclass
class Cell:
    key: Key
    n: int = 0  # units (records) in the cell
    value: float = 0.0  # the additive magnitude checked: the count, or the sum of the variable
    top: float = 0.0  # the sum of the k largest contributions (dominance rule); 0 for counts
    shown: float | None = None  # the statistic shown: count, sum, mean or quantile


@dataclass
class Cube:
    variables: list[str]
    categories: list[list[str]]
    cells: list[Cell]
    index: dict[Key, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {c.key: i for i, c in enumerate(self.cells)}

    def equations(self) -> list[list[tuple[int, float]]]:
        """Each relation as (cell, coefficient) pairs summing to zero: -total + sum of the finer cells."""
        out = []
        for i, cell in enumerate(self.cells):
            for j, part in enumerate(cell.key):
                if part is not None:
                    continue
                row = [(i, -1.0)]
                for category in self.categories[j]:
                    finer = (*cell.key[:j], category, *cell.key[j + 1 :])
                    row.append((self.index[finer], 1.0))
                out.append(row)
        return out


def complete(variables: list[str], categories: list[list[str]], found: dict[Key, Cell]) -> Cube:
    """Every key of the cube, in order (interior first, totals last); keys with no units are zero cells."""
    levels = [[*cats, None] for cats in categories]
    cells = [found.get(key) or Cell(key=key, shown=0.0) for key in itertools.product(*levels)]
    return Cube(variables=variables, categories=categories, cells=cells)

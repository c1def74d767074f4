"""Coordinated sampling on permanent random numbers (PRN), pure numpy (FRAME-4; docs/frame.md).

Every unit keeps one PRN u ~ U(0,1) for life. A survey shifts the PRNs by its own start point s and
direction d: u' = (u - s) mod 1 (d = +1) or (s - u) mod 1 (d = -1). Surveys with the same start and
direction select overlapping samples (positive coordination, panels); surveys with the same start and
opposite directions, or starts half a circle apart, select disjoint samples as far as the sizes allow
(negative coordination). On the shifted numbers each design sorts by a key and takes the smallest:

- srs: key u', the n smallest: simple random sampling without replacement, pi = n/N;
- poisson: unit k is in when u' < lambda_k (a random sample size), pi = lambda_k exactly;
- sequential_poisson (Ohlsson 1998): key u'/lambda_k, the n smallest, pi ~ lambda_k;
- pareto (Rosen 1997): key [u'/(1-u')]/[lambda_k/(1-lambda_k)], the n smallest, pi ~ lambda_k.

lambda_k = n x_k / sum x (x: the size measure), capped at 1 (take-all units, key -1: always in).
The functions take arrays of any shape (the last axis is the units) so a test can run thousands of
replicates at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Design = Literal["srs", "poisson", "sequential_poisson", "pareto"]
DESIGNS: tuple[Design, ...] = ("srs", "poisson", "sequential_poisson", "pareto")
Floats = npt.NDArray[np.float64]


def shifted(prn: Floats, start: float, direction: int) -> Floats:
    """The survey's own coordinate of each PRN, in [0, 1)."""
    u = np.mod(prn - start, 1.0) if direction >= 0 else np.mod(start - prn, 1.0)
    return np.asarray(u, dtype=np.float64)


def target_pi(size: Floats | None, n: int, units: int) -> Floats:
    """lambda_k: n/N for equal sizes, else proportional to size with take-all units capped at 1."""
    if n <= 0 or units == 0:
        return np.zeros(units)
    if size is None:
        return np.full(units, min(1.0, n / units))
    x = np.maximum(np.asarray(size, dtype=np.float64), 1e-12)
    lam = np.zeros(units)
    certain = np.zeros(units, dtype=bool)
    for _ in range(units):
        rest = n - int(certain.sum())
        if rest <= 0:
            break
        total = x[~certain].sum()
        lam[~certain] = rest * x[~certain] / total
        over = (lam >= 1.0) & ~certain
        if not over.any():
            break
        certain |= over
    lam[certain] = 1.0
    return np.minimum(lam, 1.0)


def keys(u: Floats, lam: Floats, design: Design) -> Floats:
    """The ranking key of each unit (smaller first); take-all units get -1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if design == "srs":
            k = u.copy()
        elif design in ("poisson", "sequential_poisson"):
            k = u / lam
        elif design == "pareto":
            k = (u / (1.0 - u)) / (lam / (1.0 - lam))
        else:
            raise ValueError(f"unknown design {design!r}")
    k = np.where(lam >= 1.0, -1.0, k)
    return np.where(lam <= 0.0, np.inf, k)


@dataclass(frozen=True)
class Drawn:
    order: npt.NDArray[np.int64]  # unit positions by key, the ones the draw looked at
    selected: npt.NDArray[np.int64]  # positions selected, in key order
    skipped: npt.NDArray[np.int64]  # positions the burden rule passed over, in key order
    key: Floats  # every unit's key
    pi: Floats  # every unit's inclusion probability (lambda; n/N for srs)


def draw(
    prn: Floats,
    n: int,
    design: Design,
    *,
    start: float = 0.0,
    direction: int = 1,
    size: Floats | None = None,
    blocked: npt.NDArray[np.bool_] | None = None,
) -> Drawn:
    """One coordinated draw over one population. `blocked` units (over their burden cap) are passed
    over: an order design takes the next unit in key order instead; Poisson simply leaves them out."""
    units = len(prn)
    lam = target_pi(None if design == "srs" else size, n, units)
    k = keys(shifted(prn, start, direction), lam, design)
    order = np.argsort(k, kind="stable")
    blocked = np.zeros(units, dtype=bool) if blocked is None else blocked
    if design == "poisson":
        inside = order[k[order] < 1.0]
        return Drawn(inside, inside[~blocked[inside]], inside[blocked[inside]], k, lam)
    free = ~blocked[order]
    taken = np.cumsum(free)
    stop = int(np.searchsorted(taken, n)) + 1 if taken.size and taken[-1] >= n else units
    looked = order[:stop]
    return Drawn(looked, looked[~blocked[looked]], looked[blocked[looked]], k, lam)


def horvitz_thompson(y: Floats, pi: Floats, selected: npt.NDArray[np.int64]) -> float:
    """The Horvitz-Thompson estimate of the total of y from a sample."""
    return float(np.sum(y[selected] / pi[selected]))


def new_prns(count: int, rng: np.random.Generator | None = None) -> Floats:
    """PRNs for units born now: uniform on the open interval (0, 1)."""
    rng = rng or np.random.default_rng()
    return rng.uniform(np.nextafter(0.0, 1.0), 1.0, size=count)

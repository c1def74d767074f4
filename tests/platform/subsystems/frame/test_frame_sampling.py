"""FRAME-4: the sampling designs on permanent random numbers, by Monte Carlo (pure numpy: no
database). Each replicate gives the population fresh PRNs, as a new population would have."""

import numpy as np
import pytest
from scipy import stats

from govstat.platform.subsystems.frame import sampling

N, n, R = 400, 40, 40_000


def _population(seed=1):
    rng = np.random.default_rng(seed)
    return np.ceil(rng.lognormal(1.2, 0.7, N))  # employees: skewed, no unit alone above n x/X = 1


def _frequencies(design, size, rng):
    lam = sampling.target_pi(None if design == "srs" else size, n, N)
    count = np.zeros(N)
    for _ in range(R // 5000):
        k = sampling.keys(rng.random((5000, N)), lam, design)
        if design == "poisson":
            count += (k < 1.0).sum(axis=0)
        else:
            count += np.bincount(np.argpartition(k, n - 1, axis=1)[:, :n].ravel(), minlength=N)
    return count / R, lam


@pytest.mark.parametrize("design", sampling.DESIGNS)
def test_inclusion_frequencies_match_the_design_within_one_percent(design):
    freq, lam = _frequencies(design, _population(), np.random.default_rng(11))
    assert np.abs(freq - lam).max() < 0.01, (design, np.abs(freq - lam).max())
    if design != "srs":
        assert lam.max() > 5 * lam.min()  # πps for real: the big units are far likelier


def test_new_prns_are_uniform():
    prn = sampling.new_prns(5000, np.random.default_rng(3))
    assert stats.kstest(prn, "uniform").pvalue > 0.01 and prn.min() > 0.0 and prn.max() < 1.0


def test_horvitz_thompson_total_is_unbiased():
    size = _population(2)
    rng = np.random.default_rng(5)
    for design in ("poisson", "pareto"):
        estimates = []
        for _ in range(4000):
            d = sampling.draw(rng.random(N), n, design, size=size)
            estimates.append(sampling.horvitz_thompson(size, d.pi, d.selected))
        mean, se = np.mean(estimates), np.std(estimates) / np.sqrt(len(estimates))
        assert abs(mean - size.sum()) < max(3 * se, 0.002 * size.sum()), (design, mean, size.sum(), se)


def test_coordination_by_start_point_and_direction():
    prn = np.random.default_rng(8).random(10_000)
    a = set(sampling.draw(prn, 1000, "srs", start=0.2).selected)
    same = set(sampling.draw(prn, 1000, "srs", start=0.2).selected)
    panel = set(sampling.draw(prn, 1200, "srs", start=0.2).selected)
    negative = set(sampling.draw(prn, 1000, "srs", start=0.2, direction=-1).selected)
    independent = set(sampling.draw(prn, 1000, "srs", start=0.6).selected)
    assert a == same and a <= panel  # positive coordination: the bigger sample contains the smaller
    assert not a & negative  # negative coordination: disjoint while n1 + n2 <= N
    assert not a & independent  # starts far apart on the circle: disjoint as well


def test_burden_rule_passes_over_blocked_units_and_says_which():
    prn = np.random.default_rng(9).random(1000)
    free = sampling.draw(prn, 50, "sequential_poisson", size=np.ones(1000))
    blocked = np.zeros(1000, dtype=bool)
    blocked[free.selected[:10]] = True
    d = sampling.draw(prn, 50, "sequential_poisson", size=np.ones(1000), blocked=blocked)
    assert len(d.selected) == 50 and not blocked[d.selected].any()
    assert sorted(d.skipped) == sorted(free.selected[:10])
    assert set(free.selected[10:]) <= set(d.selected)  # the rest of the sample stays

"""Output checking on a hand-made table (no database): the threshold rule, secondary suppression
that margins cannot undo (checked by the LP audit), the evidence record that recomputes it all."""

from govstat.platform.subsystems.onsite import checking
from govstat.platform.subsystems.onsite.sdc import audit, rules, secondary
from govstat.platform.subsystems.onsite.sdc.cube import Cell, complete

ROWS, COLS = ["a", "b", "c"], ["x", "y", "z"]
INNER = {
    ("a", "x"): 40,
    ("a", "y"): 35,
    ("a", "z"): 52,
    ("b", "x"): 28,
    ("b", "y"): 9,
    ("b", "z"): 31,
    ("c", "x"): 45,
    ("c", "y"): 22,
    ("c", "z"): 60,
}


def table(inner=INNER):
    found = {k: Cell(key=k, n=v, value=v) for k, v in inner.items()}
    for r in ROWS:
        v = sum(inner[(r, c)] for c in COLS)
        found[(r, None)] = Cell(key=(r, None), n=v, value=v)
    for c in COLS:
        v = sum(inner[(r, c)] for r in ROWS)
        found[(None, c)] = Cell(key=(None, c), n=v, value=v)
    total = sum(inner.values())
    found[(None, None)] = Cell(key=(None, None), n=total, value=total)
    return complete(["r", "c"], [ROWS, COLS], found)


def test_a_nine_unit_cell_is_suppressed_and_so_is_its_complement():
    cube = table()
    checked = checking.check(cube, rules.Rules(threshold=10), "count")
    status = {c.key: s for c, s in zip(cube.cells, checked.statuses, strict=True)}
    assert status[("b", "y")] == "threshold"
    # its row and its column each hide another cell, and those share a fourth: a rectangle
    hidden = {k for k, s in status.items() if s != "published"}
    assert len(hidden) == 4 and all(status[k] == "secondary" for k in hidden - {("b", "y")})
    assert sum(1 for k in hidden if k[0] == "b") == 2 and sum(1 for k in hidden if k[1] == "y") == 2
    assert checked.failures == []
    # the margins leave the 9 an interval at least as wide as its protection (20 %: at least 1.8 each way)
    interval = next(c["interval"] for c in checked.evidence["cells"] if c["key"] == ["b", "y"])
    assert interval[0] <= 9 - 1.8 and interval[1] >= 9 + 1.8
    assert checked.evidence["solver"]["status"] == secondary.OPTIMAL


def test_the_audit_catches_a_pattern_the_margins_undo():
    cube = table()
    only_primary = {cube.index[("b", "y")]}
    found = audit.intervals(cube, only_primary)
    assert found[cube.index[("b", "y")]] == (9.0, 9.0)  # row total minus the published cells: exact
    sensitive = {cube.index[("b", "y")]: rules.protection(cube.cells[cube.index[("b", "y")]], rules.Rules())}
    assert audit.failures(cube, sensitive, found) == [cube.index[("b", "y")]]


def test_the_evidence_recomputes_every_status():
    cube = table()
    checked = checking.check(cube, rules.Rules(threshold=10), "count")
    statuses, failures = checking.recheck(checked.evidence)
    assert statuses == checked.statuses and failures == []
    tampered = dict(checked.evidence)
    tampered["cells"] = [
        dict(c, status="published" if c["status"] == "secondary" else c["status"]) for c in checked.evidence["cells"]
    ]
    assert checking.recheck(tampered)[1] != []  # a record claiming less suppression fails the audit


def test_past_the_time_bound_the_fallback_is_audited_all_the_same():
    cube = table()
    level = rules.protection(cube.cells[cube.index[("b", "y")]], rules.Rules())
    pattern = secondary.suppress(cube, {cube.index[("b", "y")]: level}, max_columns=1)  # too big: no MIP
    assert pattern.status == secondary.FALLBACK
    assert audit.failures(cube, {cube.index[("b", "y")]: level}, audit.intervals(cube, pattern.suppressed)) == []


def test_dominance_marks_a_cell_of_one_large_contributor():
    cube = table()
    cell = cube.cells[cube.index[("a", "x")]]
    cell.value, cell.top = 1000.0, 950.0
    assert (
        rules.primary(cube, rules.Rules(dominance_k=2, dominance_p=85), magnitude=True)[cube.index[("a", "x")]]
        == "dominance"
    )

"""Figures for docs/frame.md from the generated register (`python bench/frame_figures.py`): writes
docs/frame-figures.md and docs/frame-surveys-per-unit.svg.

1. Overlap of two surveys' samples of small establishments: expected under independent selection
   (sum of pi_A * pi_B), realised with independent random numbers, and realised on the same PRNs with
   negative coordination (the second survey runs the other way from the same start point), against
   the least overlap any design with these inclusion probabilities can have (sum of max(0, pi_A + pi_B - 1)).
2. Surveys per small establishment over 5 simulated years (8 surveys a year, each drawing 6% of the
   small establishments by sequential Poisson pi-ps on employees): independent draws, against PRN
   draws with negative coordination (start points spread round the circle) and the burden rule
   (no small unit in more than 2 surveys in a rolling 3 years).

Needs a migrated, seeded database with a register (`govstat seed --demo`, or it generates one).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np

from govstat.platform.subsystems.frame import sampling

DOCS = Path(__file__).resolve().parents[1] / "docs"
REPS, YEARS, PER_YEAR, SHARE, CAP, WINDOW = 100, 5, 8, 0.06, 2, 3


async def population() -> np.ndarray:
    from govstat.platform.db.engine import start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.frame.loader import seed_demo

    await start_pool()
    await seed_demo(200_000)
    async with UnitOfWork(Scope.system("figures")) as uow:
        rows = await uow.fetch("SELECT employees FROM frame_establishment WHERE valid_to IS NULL AND status = 'active'"
                               " AND employees < 20 ORDER BY id")  # fmt: skip
    return np.array([max(r[0], 1) for r in rows], dtype=np.float64)


def overlap(size: np.ndarray, rng: np.random.Generator) -> list[tuple[str, float, float, float, float]]:
    n = int(len(size) * 0.05)
    out = []
    for design in ("srs", "sequential_poisson", "pareto"):
        lam = sampling.target_pi(None if design == "srs" else size, n, len(size))
        expected, least = float(np.sum(lam * lam)), float(np.sum(np.maximum(0, 2 * lam - 1)))
        indep, neg = [], []
        for _ in range(REPS):
            prn = rng.random(len(size))
            a = set(sampling.draw(prn, n, design, start=0.3, size=size).selected.tolist())
            b = set(sampling.draw(rng.random(len(size)), n, design, start=0.3, size=size).selected.tolist())
            c = set(sampling.draw(prn, n, design, start=0.3, direction=-1, size=size).selected.tolist())
            indep.append(len(a & b))
            neg.append(len(a & c))
        out.append((design, expected, float(np.mean(indep)), float(np.mean(neg)), least))
    return out


def five_years(size: np.ndarray, rng: np.random.Generator, coordinated: bool) -> np.ndarray:
    units, n = len(size), int(len(size) * SHARE)
    prn = rng.random(units)
    history: list[tuple[int, np.ndarray]] = []
    count = np.zeros(units, dtype=np.int64)
    for year in range(YEARS):
        for s in range(PER_YEAR):
            if coordinated:
                recent = np.zeros(units, dtype=np.int64)
                for y, sel in history:
                    if year - y < WINDOW:
                        recent[sel] += 1
                start = (s / PER_YEAR + year * 0.37) % 1.0
                d = sampling.draw(prn, n, "sequential_poisson", start=start, size=size, blocked=recent >= CAP)
            else:
                d = sampling.draw(rng.random(units), n, "sequential_poisson", size=size)
            history.append((year, d.selected))
            count[d.selected] += 1
    return np.bincount(count, minlength=12)


def svg(free: np.ndarray, coordinated: np.ndarray) -> str:
    k = int(max(np.nonzero(free)[0].max(), np.nonzero(coordinated)[0].max())) + 1
    top = max(free.max(), coordinated.max())
    bars = []
    for i in range(k):
        for j, (series, colour) in enumerate(((free, "#999"), (coordinated, "#1f6feb"))):
            h = 220 * series[i] / top
            bars.append(
                f'<rect x="{60 + i * 50 + j * 20}" y="{250 - h:.1f}" width="18" height="{h:.1f}" fill="{colour}"/>'
            )
        bars.append(f'<text x="{78 + i * 50}" y="268" font-size="12" text-anchor="middle">{i}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{80 + k * 50}" height="310" font-family="sans-serif">'
            '<text x="10" y="16" font-size="13">小規模事業所あたりの5年間の調査数 / surveys per small establishment, 5 years</text>'
            + "".join(bars) + f'<line x1="55" y1="250" x2="{65 + k * 50}" y2="250" stroke="#333"/>'
            '<rect x="60" y="285" width="12" height="12" fill="#999"/><text x="76" y="295" font-size="12">独立抽出 / independent</text>'
            '<rect x="250" y="285" width="12" height="12" fill="#1f6feb"/><text x="266" y="295" font-size="12">'
            f'恒久乱数・負の調整・負担上限{CAP}/{WINDOW}年 / PRN, negative coordination, cap</text></svg>\n')  # fmt: skip


async def main() -> None:
    size = await population()
    rng = np.random.default_rng(2024)
    rows = overlap(size, rng)
    free, coord = five_years(size, rng, False), five_years(size, rng, True)
    width = max(len(free), len(coord))
    free, coord = np.pad(free, (0, width - len(free))), np.pad(coord, (0, width - len(coord)))
    lines = ["# Frame figures (generated by bench/frame_figures.py)", "",
             f"Population: {len(size):,} active establishments with fewer than 20 employees of the generated register;"
             f" two surveys of 5% each; {REPS} replicates.", "",
             "| design | expected overlap (independent) | realised, independent draws | realised, negative coordination | least possible |",
             "| --- | --- | --- | --- | --- |"]  # fmt: skip
    lines += [f"| {d} | {e:,.1f} | {i:,.1f} | {n:,.1f} | {m:,.1f} |" for d, e, i, n, m in rows]
    lines += ["", f"Surveys per small establishment over {YEARS} years ({PER_YEAR} surveys a year, {SHARE:.0%} each):", "",
              "| surveys | independent draws | PRN + negative coordination + burden cap |", "| --- | --- | --- |"]  # fmt: skip
    lines += [f"| {k} | {free[k]:,} | {coord[k]:,} |" for k in range(len(free)) if free[k] or coord[k]]
    lines += ["", "![surveys per small establishment](frame-surveys-per-unit.svg)", ""]
    (DOCS / "frame-figures.md").write_text("\n".join(lines), encoding="utf-8")
    (DOCS / "frame-surveys-per-unit.svg").write_text(svg(free, coord), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())

"""Drawing a sample from the register (FRAME-4): the population as of the reference date, one PRN
design with the survey's start point and direction, the burden rule enforced at selection (the units
passed over and why), a stored specification that redraws the identical list, and the burden ledger
(never written by a test draw). See docs/frame.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.frame import queries
from govstat.platform.subsystems.frame.events import SampleDrawn
from govstat.platform.subsystems.frame.rows import DrawRow, SelectionRow, SurveyRow, Unit
from govstat.platform.subsystems.frame.schemas import BurdenRule, DesignName, Population


class Spec(msgspec.Struct, kw_only=True):
    """Everything a draw depends on besides the register and the PRNs: stored, it redraws."""

    population: Population
    reference_date: dt.date
    design: DesignName
    sample_size: int
    start_point: float
    direction: int
    burden: BurdenRule
    ledger_upto: int  # burden counted from ledger rows with id <= this (those before the draw)
    size_measure: str = "employees"
    cycle: str = ""


class Outcome(msgspec.Struct, kw_only=True):
    units: list[Unit]
    selected: list[int]  # positions in units, key order
    skipped: list[int]
    key: list[float]
    pi: list[float]
    burden: dict[int, int]  # unit id -> surveys in the window (small units only)


async def burden_counts(uow: UnitOfWork, ids: list[int], day: dt.date, rule: BurdenRule, upto: int) -> dict[int, int]:
    """Surveys each unit was selected for in the rolling window ending on `day`."""
    since = day - dt.timedelta(days=365 * rule.years)
    rows = await uow.fetch(
        "SELECT establishment_id, count(*) FROM frame_burden WHERE establishment_id = ANY($1::bigint[])"
        " AND selected_on > $2 AND selected_on <= $3 AND id <= $4 GROUP BY establishment_id",
        ids,
        since,
        day,
        upto,
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def compute(uow: UnitOfWork, spec: Spec) -> Outcome:
    # Imported on first use: numpy, which few requests need (issue 15, the app's base RSS)
    import numpy as np

    from govstat.platform.subsystems.frame import sampling

    units = await queries.units(uow, spec.population, spec.reference_date)
    ids = [u.id for u in units]
    small = [u.id for u in units if u.employees < spec.burden.small_below]
    counts = await burden_counts(uow, small, spec.reference_date, spec.burden, spec.ledger_upto) if small else {}
    blocked = np.array([counts.get(i, 0) >= spec.burden.cap for i in ids], dtype=bool)
    drawn = sampling.draw(
        np.array([u.prn for u in units], dtype=np.float64),
        spec.sample_size,
        spec.design,
        start=spec.start_point,
        direction=spec.direction,
        size=np.array([max(u.employees, 1) for u in units], dtype=np.float64),
        blocked=blocked,
    )
    return Outcome(
        units=units,
        selected=[int(i) for i in drawn.selected],
        skipped=[int(i) for i in drawn.skipped],
        key=[float(k) for k in drawn.key],
        pi=[float(p) for p in drawn.pi],
        burden=counts,
    )


def digest(out: Outcome) -> str:
    return hashlib.sha256(
        ",".join(str(out.units[i].id) for i in sorted(out.selected, key=lambda i: out.units[i].id)).encode()
    ).hexdigest()


async def draw(
    uow: UnitOfWork,
    survey: SurveyRow,
    *,
    reference_date: dt.date,
    design: DesignName,
    burden: BurdenRule,
    test: bool,
    cycle: str = "",
    application_id: uuid.UUID | None = None,
) -> tuple[DrawRow, Outcome]:
    upto = int(await uow.fetchval("SELECT coalesce(max(id), 0) FROM frame_burden"))
    spec = Spec(
        population=msgspec.convert(survey.population, Population),
        reference_date=reference_date,
        design=design,
        sample_size=survey.sample_size,
        start_point=survey.start_point,
        direction=survey.direction,
        burden=burden,
        ledger_upto=upto,
        cycle=cycle,
    )
    out = await compute(uow, spec)
    draw_id = uuid.uuid4()
    row = await uow.row(
        DrawRow,
        "INSERT INTO frame_draw (id, tenant_id, survey_id, application_id, spec, test, population_count, sample_count,"
        " skipped_count, units_sha256, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
        draw_id,
        survey.tenant_id,
        survey.id,
        application_id,
        msgspec.json.encode(spec).decode(),
        test,
        len(out.units),
        len(out.selected),
        len(out.skipped),
        digest(out),
        uow.scope.actor,
    )
    assert row is not None
    picks = [(i, True, "") for i in out.selected] + [
        (i, False, f"負担上限: 直近{burden.years}年に{out.burden.get(out.units[i].id, 0)}調査 / burden cap")
        for i in out.skipped
    ]
    rank = {i: r for r, i in enumerate(sorted(out.selected + out.skipped, key=lambda i: out.key[i]), start=1)}
    await uow.execute(
        "INSERT INTO frame_selection (draw_id, establishment_id, tenant_id, selected, rank, prn, key, pi, reason)"
        " SELECT $1, u, $2, s, r, p, k, pi, why FROM unnest($3::bigint[], $4::bool[], $5::int[], $6::float8[],"
        " $7::float8[], $8::float8[], $9::text[]) AS t(u, s, r, p, k, pi, why)",
        draw_id,
        survey.tenant_id,
        [out.units[i].id for i, _, _ in picks],
        [s for _, s, _ in picks],
        [rank[i] for i, _, _ in picks],
        [out.units[i].prn for i, _, _ in picks],
        [max(min(out.key[i], 1e300), -1.0) for i, _, _ in picks],
        [out.pi[i] for i, _, _ in picks],
        [why for _, _, why in picks],
    )
    if not test:  # survey history: a test draw never counts as burden
        await uow.execute(
            "INSERT INTO frame_burden (establishment_id, tenant_id, survey_id, draw_id, cycle, selected_on)"
            " SELECT u, $1, $2, $3, $4, $5 FROM unnest($6::bigint[]) AS u",
            survey.tenant_id,
            survey.id,
            draw_id,
            cycle,
            reference_date,
            [out.units[i].id for i in out.selected],
        )
    await audit(uow, "frame.sample.drawn", tenant_id=survey.tenant_id, target_type="frame_draw", target_id=draw_id,
                module="frame", test=test, design=design, population=len(out.units), sample=len(out.selected),
                skipped=len(out.skipped))  # fmt: skip
    event = SampleDrawn(draw_id=draw_id, survey_id=survey.id, test=test, sample_count=len(out.selected),
                        skipped_count=len(out.skipped))  # fmt: skip
    await emit(uow, event, tenant_id=survey.tenant_id)
    return row, out


async def get(uow: UnitOfWork, draw_id: uuid.UUID) -> DrawRow:
    return await uow.one(DrawRow, "SELECT * FROM frame_draw WHERE id = $1", draw_id, what="抽出")


class Redraw(msgspec.Struct, kw_only=True):
    draw_id: uuid.UUID
    identical: bool
    units_sha256: str
    redrawn_sha256: str
    sample_count: int


async def redraw(uow: UnitOfWork, draw_id: uuid.UUID) -> Redraw:
    """Draw again from the stored specification and compare the unit lists."""
    row = await get(uow, draw_id)
    out = await compute(uow, msgspec.convert(row.spec, Spec))
    sha = digest(out)
    return Redraw(draw_id=draw_id, identical=sha == row.units_sha256, units_sha256=row.units_sha256,
                  redrawn_sha256=sha, sample_count=len(out.selected))  # fmt: skip


class Why(msgspec.Struct, kw_only=True):
    """The answer to a respondent's "why was I selected?" for one draw."""

    draw_id: uuid.UUID
    establishment_id: int
    selection: SelectionRow | None
    spec: dict[str, Any]
    cutoff_key: float | None
    explanation: str


async def why(uow: UnitOfWork, draw_id: uuid.UUID, unit_id: int) -> Why:
    row = await get(uow, draw_id)
    sel = await uow.row(SelectionRow, "SELECT establishment_id, selected, rank, prn, key, pi, reason FROM frame_selection"
                        " WHERE draw_id = $1 AND establishment_id = $2", draw_id, unit_id)  # fmt: skip
    cutoff = await uow.fetchval("SELECT max(key) FROM frame_selection WHERE draw_id = $1 AND selected", draw_id)
    if sel is None:
        text = "この抽出では選ばれていません / not selected in this draw"
    elif sel.selected:
        text = (f"恒久乱数 {sel.prn:.6f} から求めた順位 {sel.rank}（鍵 {sel.key:.6f} ≦ 切断点 {cutoff:.6f}）、"
                f"抽出確率 {sel.pi:.4f}。無作為に選ばれました / selected at random: your permanent random number"
                " put you within the sample's cut-off")  # fmt: skip
    else:
        text = f"抽出順位に入りましたが除外されました: {sel.reason}"
    return Why(
        draw_id=draw_id, establishment_id=unit_id, selection=sel, spec=row.spec, cutoff_key=cutoff, explanation=text
    )


async def selections(uow: UnitOfWork, draw_id: uuid.UUID) -> list[SelectionRow]:
    await get(uow, draw_id)
    return await uow.rows(SelectionRow, "SELECT establishment_id, selected, rank, prn, key, pi, reason"
                          " FROM frame_selection WHERE draw_id = $1 ORDER BY rank", draw_id)  # fmt: skip


def not_found(unit_id: int) -> NotFound:
    return NotFound(f"事業所 {unit_id}")

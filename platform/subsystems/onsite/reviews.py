"""Manual review of a refused output: the researcher asks, the owning agency's reviewer decides.
Released on review, the table shows the cells its checking published (never a suppressed one)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where, own
from govstat.platform.errors import InvalidTransition, NotFound
from govstat.platform.subsystems.onsite import trail
from govstat.platform.subsystems.onsite.outputs import COLUMNS, shown_cells
from govstat.platform.subsystems.onsite.rows import EvidenceRow, OutputRow
from govstat.platform.subsystems.onsite.schemas import ReviewIn, ReviewRequestIn

MODULE = "onsite"


async def of_researcher(uow: UnitOfWork, output_id: uuid.UUID) -> OutputRow:
    row = await uow.row(
        OutputRow,
        f"SELECT {COLUMNS} FROM onsite_output o WHERE o.id = $1 AND o.researcher_id::text = $2",
        output_id,
        uow.scope.actor,
    )
    if row is None:
        raise NotFound("出力が見つかりません / output not found")
    return row


async def of_visit(uow: UnitOfWork, visit_id: uuid.UUID) -> list[OutputRow]:
    return await uow.rows(
        OutputRow,
        f"SELECT {COLUMNS} FROM onsite_output o WHERE o.visit_id = $1 AND o.researcher_id::text = $2"
        " ORDER BY o.created_at DESC LIMIT 100",
        visit_id,
        uow.scope.actor,
    )


async def request(uow: UnitOfWork, output_id: uuid.UUID, data: ReviewRequestIn) -> OutputRow:
    row = await of_researcher(uow, output_id)
    if row.verdict != "refused":
        raise InvalidTransition(
            f"審査を求められるのは拒否された出力だけです / only a refused output (it is {row.verdict})"
        )
    await uow.execute(
        "UPDATE onsite_output SET verdict = 'review_requested', review_requested_at = now(), review_reason = $2 WHERE id = $1",
        output_id,
        data.reason,
    )
    await trail.record(
        uow, "onsite.review.requested", owner=row.tenant_id, target_type="onsite_output", target_id=output_id
    )
    return await of_researcher(uow, output_id)


async def queue(uow: UnitOfWork, verdict: str | None = "review_requested") -> list[OutputRow]:
    w = Where().scoped(uow, "o.").eq("o.verdict", verdict)
    return await uow.rows(
        OutputRow, f"SELECT {COLUMNS} FROM onsite_output o WHERE {w} ORDER BY o.created_at DESC LIMIT 500", *w.args
    )


async def evidence(uow: UnitOfWork, output_id: uuid.UUID) -> EvidenceRow:
    w = Where().scoped(uow, "o.").add("o.id = {}", output_id)
    row = await uow.row(EvidenceRow, f"SELECT o.id, o.verdict, o.evidence FROM onsite_output o WHERE {w}", *w.args)
    if row is None:
        raise NotFound("出力が見つかりません / output not found")
    return row


async def decide(uow: UnitOfWork, output_id: uuid.UUID, data: ReviewIn) -> OutputRow:
    record = await evidence(uow, output_id)
    if record.verdict != "review_requested":
        raise InvalidTransition(
            f"審査を求められた出力ではありません / no review was requested (it is {record.verdict})"
        )
    verdict = "review_released" if data.release else "review_refused"
    cells = shown_cells(record.evidence, released=data.release)
    await uow.execute(
        "UPDATE onsite_output SET verdict = $2, cells = $3::jsonb, reviewed_by = $4, reviewed_at = $5, review_note = $6"
        f" WHERE id = $1 AND {own(uow.scope)}",
        output_id,
        verdict,
        msgspec.json.encode(cells).decode(),
        uow.scope.actor,
        dt.datetime.now(dt.UTC),
        data.note,
    )
    row = await uow.row(OutputRow, f"SELECT {COLUMNS} FROM onsite_output o WHERE o.id = $1", output_id)
    assert row is not None
    await trail.record(
        uow,
        f"onsite.review.{'released' if data.release else 'refused'}",
        owner=row.tenant_id,
        target_type="onsite_output",
        target_id=output_id,
        note=data.note,
    )
    return row

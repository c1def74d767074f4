"""One query of a session: aggregate, check, compare with the researcher's earlier releases, and
record query, result and verdict (every one, refused ones too) before anything is shown."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from typing import Any

import msgspec

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.onsite import datasets, trail, visits
from govstat.platform.subsystems.onsite.events import OutputChecked
from govstat.platform.subsystems.onsite.rows import OutputRow
from govstat.platform.subsystems.onsite.schemas import TableIn

MODULE = "onsite"
COLUMNS = columns(OutputRow, "o.")
PUBLISHED = "published"  # checking.PUBLISHED


async def run(
    uow: UnitOfWork, visit_id: uuid.UUID, spec: TableIn, address: str, credential: str
) -> OutputRow | visits.Refused:
    # DuckDB, HiGHS and Arrow load on the first query, not with the app (they cost a second at start-up)
    from govstat.platform.subsystems.onsite import aggregate, checking, differencing
    from govstat.platform.subsystems.onsite.sdc.rules import Rules

    admitted = await visits.admit(uow, visit_id, address, credential)
    if isinstance(admitted, visits.Refused):
        return admitted
    visit, grant = admitted
    if str(spec.dataset_id) not in grant.dataset_ids:
        raise InvalidInput.field("dataset_id", "この利用承認の調査票情報ではありません / not a dataset of this grant")
    started = time.perf_counter()
    dataset = await datasets.get_loaded(uow, spec.dataset_id)
    kinds = aggregate.check(spec, datasets.variables_of(dataset), set(grant.variables))
    data = await datasets.content(uow, spec.dataset_id)
    rules = Rules(dataset.threshold, dataset.dominance_k, dataset.dominance_p, dataset.protection_pct)
    cube = await asyncio.to_thread(aggregate.cube, data, spec, kinds, dataset.dominance_k)
    checked = await asyncio.to_thread(checking.check, cube, rules, spec.statistic)
    earlier = await released(uow, spec.dataset_id)
    findings = await asyncio.to_thread(
        differencing.findings, data, spec, cube, checked.statuses, earlier, kinds, rules.threshold
    )
    reasons = []
    if checked.failures:
        reasons.append(
            "秘匿セルの区間が保護水準に届きません / a suppressed cell's interval is narrower than its protection"
        )
    if findings:
        reasons.append(
            f"以前の出力との差分で {rules.threshold} 未満の単位が特定されます / a difference with an earlier output isolates fewer than {rules.threshold} units"
        )
    verdict = "refused" if reasons else "released"
    evidence = {**checked.evidence, "differencing": findings, "compared_with": [str(o.id) for o in earlier]}
    cells = shown_cells(evidence, released=verdict == "released")
    elapsed = (time.perf_counter() - started) * 1000
    row = await uow.row(
        OutputRow,
        f"INSERT INTO onsite_output (id, tenant_id, visit_id, grant_id, researcher_id, dataset_id, spec, verdict, reasons,"
        f" cells, evidence, elapsed_ms) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12)"
        f" RETURNING {COLUMNS.replace('o.', '')}",
        uuid.uuid4(),
        visit.tenant_id,
        visit.id,
        grant.id,
        visit.researcher_id,
        spec.dataset_id,
        _json(msgspec.to_builtins(spec)),
        verdict,
        _json(reasons),
        _json(cells),
        _json(evidence),
        elapsed,
    )
    assert row is not None
    await trail.record(
        uow,
        "onsite.output.checked",
        owner=row.tenant_id,
        target_type="onsite_output",
        target_id=row.id,
        outcome="success" if verdict == "released" else "denied",
        verdict=verdict,
        spec=msgspec.to_builtins(spec),
        suppressed=sum(1 for s in checked.statuses if s != PUBLISHED),
        solver=checked.evidence["solver"]["status"],
        differencing=len(findings),
    )
    await trail.event(uow, OutputChecked(output_id=row.id, verdict=verdict), owner=row.tenant_id)
    return row


def shown_cells(evidence: dict[str, Any], *, released: bool) -> list[dict[str, Any]]:
    """The table as shown: a value only in a published cell of a released output."""
    return [
        {
            "key": c["key"],
            "status": c["status"],
            "value": c["shown"] if released and c["status"] == PUBLISHED else None,
        }
        for c in evidence["cells"]
    ]


async def released(uow: UnitOfWork, dataset_id: uuid.UUID) -> list[OutputRow]:
    """The researcher's earlier released outputs on the dataset (the differencing check's memory)."""
    return await uow.rows(
        OutputRow,
        f"SELECT {COLUMNS} FROM onsite_output o WHERE o.researcher_id::text = $1 AND o.dataset_id = $2"
        " AND o.verdict IN ('released', 'review_released') ORDER BY o.created_at",
        uow.scope.actor,
        dataset_id,
    )


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

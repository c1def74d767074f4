"""Agencies' improvement requests (改善要望, GOV-16; 基本規程 第12条, 約款 6) and agency-specific
change requests (個別改修等, GOV-5; 基本規程 第13条).

    submitted --coordinate (with MIC)--> coordinating --refer--> deliberation (at the council)
    coordinating / deliberation --decide--> accepted | rejected
    accepted --start--> in_progress --complete--> done --report--> reported

A change request is always deliberated at the council, and the decision (a council_decision on
'change_request' about the same tenant) is referenced; an improvement request goes to the council
where required. A change request's cost is the requesting agency's: fixing it emits the domain
event CostAssigned (events.py) in the same transaction, which billing turns into a charge.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from govstat.ops.governance import council, schemas
from govstat.ops.governance.common import now, today
from govstat.ops.governance.events import CostAssigned
from govstat.ops.governance.rows import AgencyRequestEventRow, AgencyRequestRow
from govstat.ops.governance.schemas import AgencyRequestDetail
from govstat.ops.governance.tables import AgencyRequest, AgencyRequestEvent
from govstat.ops.helpdesk.calendar import JST
from govstat.ops.helpdesk.subsystems import check_subsystem
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.security import Principal

TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "coordinate": (frozenset({"submitted"}), "coordinating"),
    "refer": (frozenset({"coordinating"}), "deliberation"),
    "decide": (frozenset({"coordinating", "deliberation"}), None),  # accepted or rejected
    "start": (frozenset({"accepted"}), "in_progress"),
    "complete": (frozenset({"in_progress"}), "done"),
    "report": (frozenset({"done"}), "reported"),
}
PREFIX = {"improvement": "IR", "change": "CR"}
DECISION_SUBJECT = {"improvement": "improvement_request", "change": "change_request"}


async def submit(uow: UnitOfWork, principal: Principal, data: schemas.AgencyRequestIn) -> AgencyRequestRow:
    check_subsystem("module_key", data.module_key)
    at = now()
    n = await uow.fetchval("SELECT nextval('agency_request_no')")
    row = await uow.repo(AgencyRequest, AgencyRequestRow).add(
        id=uuid.uuid4(),
        number=f"{PREFIX[data.kind]}-{at.astimezone(JST).year}-{n:05d}",
        kind=data.kind,
        tenant_id=principal.tenant_id,
        module_key=data.module_key,
        title=data.title,
        body=data.body,
        state="submitted",
        submitted_by=principal.subject,
        submitted_at=at,
        updated_at=at,
    )
    await audit(
        uow,
        f"{DECISION_SUBJECT[data.kind]}.submitted",
        tenant_id=row.tenant_id,
        target_type="agency_request",
        target_id=row.id,
        module="ops",
        number=row.number,
    )
    return row


async def _step(
    uow: UnitOfWork,
    request_id: uuid.UUID,
    action: str,
    note: str,
    decide: schemas.DecideIn | None = None,
    **values: Any,
) -> AgencyRequestRow:
    repo = uow.repo(AgencyRequest, AgencyRequestRow)
    req = await repo.get(request_id, for_update=True)
    sources, target = TRANSITIONS[action]
    if req.state not in sources:
        raise InvalidTransition(
            f"{action}: 状態 {req.state} では実行できません / not allowed in state {req.state}",
            state=req.state,
            action=action,
        )
    if decide is not None:
        target = decide.outcome
        decision_id = await _decision(uow, req, decide)
        if decision_id is not None:
            values["council_decision_id"] = decision_id
    at = now()
    row = await repo.update(request_id, state=target, updated_at=at, **values)
    await _event(uow, req, action, target, note, at)
    await audit(
        uow,
        f"{DECISION_SUBJECT[req.kind]}.{action}",
        tenant_id=req.tenant_id,
        target_type="agency_request",
        target_id=request_id,
        module="ops",
        number=req.number,
        state_from=req.state,
        state_to=target,
        note=note or None,
    )
    return row


async def _decision(uow: UnitOfWork, req: AgencyRequestRow, data: schemas.DecideIn) -> uuid.UUID | None:
    """The council decision a decision refers to, if any (checked against the request)."""
    if req.state == "coordinating" and req.kind == "change":
        raise InvalidTransition(
            "個別改修等は協議会で協議してから決定します / a change request is deliberated at the council first (GOV-5)",
            state=req.state,
            action="decide",
        )
    if data.council_decision_id is None:
        if req.state == "deliberation":
            raise InvalidInput.field(
                "council_decision_id", "協議会の決定が必要です / the council's decision is required"
            )
        return None
    decision = await council.decision(
        uow,
        data.council_decision_id,
        subject=DECISION_SUBJECT[req.kind],
        tenant_id=req.tenant_id,
        outcome="approved" if data.outcome == "accepted" else "rejected",
    )
    return decision.id


async def _event(uow: UnitOfWork, req: AgencyRequestRow, action: str, target: str, note: str, at: dt.datetime) -> None:
    await uow.repo(AgencyRequestEvent, AgencyRequestEventRow).add(
        id=uuid.uuid4(),
        request_id=req.id,
        tenant_id=req.tenant_id,
        action=action,
        state_from=req.state,
        state_to=target,
        at=at,
        actor=uow.scope.actor,
        note=note,
    )


async def step(uow: UnitOfWork, request_id: uuid.UUID, action: str, data: schemas.StepIn) -> AgencyRequestRow:
    return await _step(uow, request_id, action, data.note)


async def decide(uow: UnitOfWork, request_id: uuid.UUID, data: schemas.DecideIn) -> AgencyRequestRow:
    return await _step(uow, request_id, "decide", data.note, decide=data)


async def report(uow: UnitOfWork, request_id: uuid.UUID, data: schemas.ReportIn) -> AgencyRequestRow:
    """Done and reported to the council (基本規程 第12条2)."""
    return await _step(
        uow, request_id, "report", data.report_ref, report_ref=data.report_ref, reported_on=data.reported_on
    )


async def assign_cost(uow: UnitOfWork, request_id: uuid.UUID, data: schemas.CostIn) -> AgencyRequestRow:
    """Fix the cost of an accepted change request; it is billed to the requesting agency (GOV-5)."""
    repo = uow.repo(AgencyRequest, AgencyRequestRow)
    req = await repo.get(request_id, for_update=True)
    if req.kind != "change":
        raise InvalidTransition("費用負担は個別改修等のみ / only a change request is charged to its agency")
    if req.state not in ("accepted", "in_progress", "done"):
        raise InvalidTransition(
            f"cost: 状態 {req.state} では費用を確定できません / not in state {req.state}",
            state=req.state,
            action="cost",
        )
    if req.cost_fixed_at is not None:
        raise InvalidTransition(f"{req.number} の費用は確定済みです / the cost is already fixed", state="cost_fixed")
    at, occurred_on = now(), data.occurred_on or today()
    row = await repo.update(
        request_id, cost_yen=data.amount_yen, cost_fixed_at=at, cost_occurred_on=occurred_on, updated_at=at
    )
    await _event(uow, req, "cost", req.state, data.note or f"{data.amount_yen} yen", at)
    await audit(
        uow,
        "change_request.cost_fixed",
        tenant_id=req.tenant_id,
        target_type="agency_request",
        target_id=request_id,
        module="ops",
        number=req.number,
        amount_yen=data.amount_yen,
    )
    await emit(
        uow,
        CostAssigned(
            amount_yen=data.amount_yen,
            description=f"個別改修等 {req.number}: {req.title}"[:400],
            source_ref=req.number,
            occurred_on=occurred_on,
        ),
        tenant_id=req.tenant_id,
    )
    return row


async def listing(uow: UnitOfWork, kind: str | None = None) -> list[AgencyRequestRow]:
    where = [AgencyRequest.kind == kind] if kind else []
    return await uow.repo(AgencyRequest, AgencyRequestRow).find(
        *where, order_by=AgencyRequest.submitted_at, ascending=False
    )


async def detail(uow: UnitOfWork, request_id: uuid.UUID) -> AgencyRequestDetail:
    row = await uow.repo(AgencyRequest, AgencyRequestRow).get(request_id)
    events = await uow.repo(AgencyRequestEvent, AgencyRequestEventRow).find(
        AgencyRequestEvent.request_id == request_id, order_by=AgencyRequestEvent.at
    )
    return AgencyRequestDetail(**msgspec.structs.asdict(row), events=events)

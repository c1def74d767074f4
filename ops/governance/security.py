"""The yearly security audit (セキュリティ監査, GOV-15; 約款 第9 2): one per fiscal year, its findings
with severity, and follow-up actions with owner, due date and status. A finding closes only when
all its actions are done; the open findings are listed with what is overdue. Operator only."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from govstat.ops.governance import schemas
from govstat.ops.governance.common import now, today
from govstat.ops.governance.rows import ActionRow, AuditRow, FindingRow
from govstat.ops.governance.schemas import ActionView, AuditView, OpenFinding
from govstat.ops.governance.tables import Finding, FollowUp, SecurityAudit
from govstat.ops.helpdesk.subsystems import check_subsystem
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


async def _audit_event(uow: UnitOfWork, action: str, target_type: str, target_id: uuid.UUID, **detail: Any) -> None:
    await audit(
        uow, f"security.{action}", tenant_id=None, target_type=target_type, target_id=target_id, module="ops", **detail
    )


async def create_audit(uow: UnitOfWork, data: schemas.AuditIn) -> AuditRow:
    row = await uow.repo(SecurityAudit, AuditRow).add(
        id=uuid.uuid4(),
        fiscal_year=data.fiscal_year,
        auditor=data.auditor,
        scope=data.scope,
        started_on=data.started_on,
        summary="",
        created_by=uow.scope.actor,
        created_at=now(),
    )
    await _audit_event(
        uow, "audit_started", "security_audit", row.id, fiscal_year=data.fiscal_year, auditor=data.auditor
    )
    return row


async def complete_audit(uow: UnitOfWork, audit_id: uuid.UUID, data: schemas.AuditCompleteIn) -> AuditRow:
    audits = uow.repo(SecurityAudit, AuditRow)
    row = await audits.get(audit_id, for_update=True)
    if row.completed_on is not None:
        raise InvalidTransition("監査は完了済みです / the audit is already completed")
    if data.completed_on < row.started_on:
        raise InvalidInput.field("completed_on", "開始日より前です / before started_on")
    updated = await audits.update(audit_id, completed_on=data.completed_on, summary=data.summary)
    await _audit_event(uow, "audit_completed", "security_audit", audit_id, completed_on=data.completed_on)
    return updated


async def add_finding(uow: UnitOfWork, audit_id: uuid.UUID, data: schemas.FindingIn) -> FindingRow:
    await uow.repo(SecurityAudit, AuditRow).get(audit_id)
    check_subsystem("module_key", data.module_key)
    row = await uow.repo(Finding, FindingRow).add(
        id=uuid.uuid4(),
        audit_id=audit_id,
        title=data.title,
        description=data.description,
        severity=data.severity,
        module_key=data.module_key,
        status="open",
        created_at=now(),
    )
    await _audit_event(uow, "finding_recorded", "security_finding", row.id, severity=data.severity)
    return row


async def add_action(uow: UnitOfWork, finding_id: uuid.UUID, data: schemas.FollowUpIn) -> ActionRow:
    finding = await uow.repo(Finding, FindingRow).get(finding_id, for_update=True)
    if finding.status == "closed":
        raise InvalidTransition("指摘は完了済みです / the finding is closed")
    row = await uow.repo(FollowUp, ActionRow).add(
        id=uuid.uuid4(),
        finding_id=finding_id,
        description=data.description,
        owner=data.owner,
        due_on=data.due_on,
        status="open",
        created_at=now(),
    )
    await _audit_event(
        uow, "action_added", "security_action", row.id, finding_id=finding_id, owner=data.owner, due_on=data.due_on
    )
    return row


async def set_action_status(uow: UnitOfWork, action_id: uuid.UUID, data: schemas.FollowUpStatusIn) -> ActionRow:
    actions = uow.repo(FollowUp, ActionRow)
    action = await actions.get(action_id, for_update=True)
    finding = await uow.repo(Finding, FindingRow).get(action.finding_id)
    if finding.status == "closed" or action.status == data.status:
        raise InvalidTransition(
            f"状態 {action.status} から {data.status} へは変更できません / not allowed", state=action.status
        )
    row = await actions.update(action_id, status=data.status, done_at=now() if data.status == "done" else None)
    await _audit_event(
        uow, "action_status_changed", "security_action", action_id, status_from=action.status, status_to=data.status
    )
    return row


async def close_finding(uow: UnitOfWork, finding_id: uuid.UUID) -> FindingRow:
    findings = uow.repo(Finding, FindingRow)
    finding = await findings.get(finding_id, for_update=True)
    actions = await uow.repo(FollowUp, ActionRow).find(FollowUp.finding_id == finding_id)
    if finding.status == "closed":
        raise InvalidTransition("指摘は完了済みです / already closed", state="closed")
    if not actions or any(a.status != "done" for a in actions):
        raise InvalidTransition(
            "完了していない対応があります / every follow-up action must be done first", state="open"
        )
    row = await findings.update(finding_id, status="closed", closed_at=now())
    await _audit_event(uow, "finding_closed", "security_finding", finding_id)
    return row


async def audits(uow: UnitOfWork) -> list[AuditView]:
    rows = await uow.repo(SecurityAudit, AuditRow).find(order_by=SecurityAudit.fiscal_year, ascending=False)
    findings = await uow.repo(Finding, FindingRow).find()
    out = []
    for a in rows:
        mine = [f for f in findings if f.audit_id == a.id]
        out.append(
            AuditView(
                **msgspec.structs.asdict(a),
                findings=len(mine),
                open_findings=sum(f.status == "open" for f in mine),
            )
        )
    return out


async def open_findings(uow: UnitOfWork) -> list[OpenFinding]:
    """Open findings, most severe first, with their actions and whether any is overdue."""
    findings = await uow.repo(Finding, FindingRow).find(Finding.status == "open")
    audit_years = {a.id: a.fiscal_year for a in await uow.repo(SecurityAudit, AuditRow).find()}
    actions = await uow.repo(FollowUp, ActionRow).find(order_by=FollowUp.due_on)
    day = today()
    out = []
    for f in findings:
        mine = [
            ActionView(**msgspec.structs.asdict(a), overdue=a.status != "done" and a.due_on < day)
            for a in actions
            if a.finding_id == f.id
        ]
        out.append(
            OpenFinding(
                **msgspec.structs.asdict(f),
                fiscal_year=audit_years.get(f.audit_id),
                actions=mine,
                overdue=any(a.overdue for a in mine),
            )
        )
    return sorted(out, key=lambda f: (SEVERITY_ORDER[f.severity], f.created_at))

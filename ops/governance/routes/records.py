"""Governance API: improvement and change requests (GOV-16, GOV-5), the liaison meeting
(GOV-7) and the security audit (GOV-15)."""

from __future__ import annotations

import uuid
from typing import Literal

from litestar import Controller, get, post, put

from govstat.ops.governance import liaison, requests, schemas, security
from govstat.ops.governance.access import manage, read, submit
from govstat.ops.governance.routes.rules import BASE, TAGS
from govstat.ops.governance.rows import (
    ActionRow,
    AgencyRequestRow,
    AttendanceRow,
    AuditRow,
    FindingRow,
    MeetingRow,
    Member,
)
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal, Role


class RequestController(Controller):
    path, tags = f"{BASE}/requests", TAGS

    @get("/", opt=read())
    async def listing(
        self, uow: UnitOfWork, kind: Literal["improvement", "change"] | None = None
    ) -> list[AgencyRequestRow]:
        return await requests.listing(uow, kind)

    @post("/", opt=submit())
    async def submit(self, data: schemas.AgencyRequestIn, uow: UnitOfWork, principal: Principal) -> AgencyRequestRow:
        return await requests.submit(uow, principal, data)

    @get("/{request_id:uuid}", opt=read())
    async def detail(self, request_id: uuid.UUID, uow: UnitOfWork) -> schemas.AgencyRequestDetail:
        return await requests.detail(uow, request_id)

    @post("/{request_id:uuid}/decision", opt=manage(), status_code=200)
    async def decide(self, request_id: uuid.UUID, data: schemas.DecideIn, uow: UnitOfWork) -> AgencyRequestRow:
        return await requests.decide(uow, request_id, data)

    @post("/{request_id:uuid}/cost", opt=manage(), status_code=200)
    async def cost(self, request_id: uuid.UUID, data: schemas.CostIn, uow: UnitOfWork) -> AgencyRequestRow:
        return await requests.assign_cost(uow, request_id, data)

    @post("/{request_id:uuid}/report", opt=manage(), status_code=200)
    async def report(self, request_id: uuid.UUID, data: schemas.ReportIn, uow: UnitOfWork) -> AgencyRequestRow:
        return await requests.report(uow, request_id, data)

    @post("/{request_id:uuid}/coordinate", opt=manage(), status_code=200)
    async def coordinate(self, request_id: uuid.UUID, data: schemas.StepIn, uow: UnitOfWork) -> AgencyRequestRow:
        """Coordinating with MIC (総務省と調整)."""
        return await requests.step(uow, request_id, "coordinate", data)

    @post("/{request_id:uuid}/refer", opt=manage(), status_code=200)
    async def refer(self, request_id: uuid.UUID, data: schemas.StepIn, uow: UnitOfWork) -> AgencyRequestRow:
        """Referred to the council for deliberation (協議会で協議)."""
        return await requests.step(uow, request_id, "refer", data)

    @post("/{request_id:uuid}/start", opt=manage(), status_code=200)
    async def start(self, request_id: uuid.UUID, data: schemas.StepIn, uow: UnitOfWork) -> AgencyRequestRow:
        return await requests.step(uow, request_id, "start", data)

    @post("/{request_id:uuid}/complete", opt=manage(), status_code=200)
    async def complete(self, request_id: uuid.UUID, data: schemas.StepIn, uow: UnitOfWork) -> AgencyRequestRow:
        return await requests.step(uow, request_id, "complete", data)


class LiaisonController(Controller):
    path, tags = f"{BASE}/liaison", TAGS

    @get("/members", opt=read(Role.OPERATOR))
    async def members(self, uow: UnitOfWork) -> list[Member]:
        return await liaison.members(uow)

    @get("/meetings", opt=read())
    async def meetings(self, uow: UnitOfWork) -> list[schemas.MeetingView]:
        return await liaison.meetings(uow)

    @post("/meetings", opt=manage())
    async def create(self, data: schemas.MeetingIn, uow: UnitOfWork) -> schemas.NewMeeting:
        return await liaison.create_meeting(uow, data)

    @put("/meetings/{meeting_id:uuid}/minutes", opt=manage())
    async def minutes(self, meeting_id: uuid.UUID, data: schemas.MinutesIn, uow: UnitOfWork) -> MeetingRow:
        return await liaison.record_minutes(uow, meeting_id, data)

    @post("/meetings/{meeting_id:uuid}/attendance", opt=manage(), status_code=200)
    async def attendance(
        self, meeting_id: uuid.UUID, data: schemas.MeetingAttendanceIn, uow: UnitOfWork
    ) -> AttendanceRow:
        return await liaison.record_attendance(uow, meeting_id, data)


class SecurityController(Controller):
    path, tags = f"{BASE}/security", TAGS

    @get("/audits", opt=read(Role.OPERATOR))
    async def audits(self, uow: UnitOfWork) -> list[schemas.AuditView]:
        return await security.audits(uow)

    @post("/audits", opt=manage())
    async def create(self, data: schemas.AuditIn, uow: UnitOfWork) -> AuditRow:
        return await security.create_audit(uow, data)

    @post("/audits/{audit_id:uuid}/complete", opt=manage(), status_code=200)
    async def complete(self, audit_id: uuid.UUID, data: schemas.AuditCompleteIn, uow: UnitOfWork) -> AuditRow:
        return await security.complete_audit(uow, audit_id, data)

    @post("/audits/{audit_id:uuid}/findings", opt=manage())
    async def finding(self, audit_id: uuid.UUID, data: schemas.FindingIn, uow: UnitOfWork) -> FindingRow:
        return await security.add_finding(uow, audit_id, data)

    @get("/findings", opt=read(Role.OPERATOR))
    async def open_findings(self, uow: UnitOfWork) -> list[schemas.OpenFinding]:
        return await security.open_findings(uow)

    @post("/findings/{finding_id:uuid}/actions", opt=manage())
    async def action(self, finding_id: uuid.UUID, data: schemas.FollowUpIn, uow: UnitOfWork) -> ActionRow:
        return await security.add_action(uow, finding_id, data)

    @post("/findings/{finding_id:uuid}/close", opt=manage(), status_code=200)
    async def close(self, finding_id: uuid.UUID, uow: UnitOfWork) -> FindingRow:
        return await security.close_finding(uow, finding_id)

    @post("/actions/{action_id:uuid}/status", opt=manage(), status_code=200)
    async def action_status(self, action_id: uuid.UUID, data: schemas.FollowUpStatusIn, uow: UnitOfWork) -> ActionRow:
        return await security.set_action_status(uow, action_id, data)


CONTROLLERS = [RequestController, LiaisonController, SecurityController]

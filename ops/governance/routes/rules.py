"""Governance API: council decisions, briefings (GOV-10) and regulations (GOV-8)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post

from govstat.ops.governance import briefings, council, regulations, schemas
from govstat.ops.governance.access import manage, read, submit
from govstat.ops.governance.rows import (
    AcknowledgementRow,
    BriefingRequestRow,
    BriefingRow,
    RegistrationRow,
    RegulationRow,
    SessionRow,
    Unacknowledged,
    VersionRow,
)
from govstat.ops.governance.tables import RegulationVersion
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal, Role
from govstat.tenants.rows import DecisionRow

BASE = "/api/ops/governance"
TAGS = ["ops / 運営記録"]


class CouncilController(Controller):
    path, tags = f"{BASE}/council-decisions", TAGS

    @post("/", opt=manage())
    async def record(self, data: schemas.DecisionIn, uow: UnitOfWork) -> DecisionRow:
        return await council.record(uow, data)


class BriefingController(Controller):
    path, tags = f"{BASE}/briefings", TAGS

    @get("/", opt=read())
    async def overview(self, uow: UnitOfWork) -> schemas.BriefingOverview:
        return await briefings.overview(uow)

    @post("/", opt=manage())
    async def create(self, data: schemas.BriefingIn, uow: UnitOfWork) -> BriefingRow:
        return await briefings.create(uow, data)

    @post("/requests", opt=submit())
    async def request(
        self, data: schemas.BriefingRequestIn, uow: UnitOfWork, principal: Principal
    ) -> BriefingRequestRow:
        return await briefings.request(uow, principal, data)

    @post("/requests/{request_id:uuid}/decline", opt=manage(), status_code=200)
    async def decline(self, request_id: uuid.UUID, uow: UnitOfWork) -> BriefingRequestRow:
        return await briefings.decline(uow, request_id, "")

    @post("/{briefing_id:uuid}/sessions", opt=manage())
    async def add_session(self, briefing_id: uuid.UUID, data: schemas.SessionIn, uow: UnitOfWork) -> SessionRow:
        return await briefings.add_session(uow, briefing_id, data)

    @post("/sessions/{session_id:uuid}/registrations", opt=submit())
    async def register(
        self, session_id: uuid.UUID, data: schemas.RegistrationIn, uow: UnitOfWork, principal: Principal
    ) -> RegistrationRow:
        return await briefings.register(uow, principal, session_id, data)

    @post("/registrations/{registration_id:uuid}/cancel", opt=submit(), status_code=200)
    async def cancel(self, registration_id: uuid.UUID, uow: UnitOfWork) -> RegistrationRow:
        return await briefings.cancel_registration(uow, registration_id)

    @post("/sessions/{session_id:uuid}/attendance", opt=manage(), status_code=200)
    async def attendance(
        self, session_id: uuid.UUID, data: list[schemas.AttendanceIn], uow: UnitOfWork
    ) -> list[RegistrationRow]:
        return await briefings.record_attendance(uow, session_id, data)


class RegulationController(Controller):
    path, tags = f"{BASE}/regulations", TAGS

    @get("/", opt=read())
    async def catalogue(self, uow: UnitOfWork) -> list[schemas.RegulationView]:
        return await regulations.catalogue(uow)

    @post("/", opt=manage())
    async def create(self, data: schemas.RegulationIn, uow: UnitOfWork) -> RegulationRow:
        return await regulations.create(uow, data)

    @post("/{regulation_id:uuid}/versions", opt=manage())
    async def add_version(self, regulation_id: uuid.UUID, data: schemas.VersionIn, uow: UnitOfWork) -> VersionRow:
        return await regulations.add_version(uow, regulation_id, data)

    @get("/versions/{version_id:uuid}", opt=read())
    async def version(self, version_id: uuid.UUID, uow: UnitOfWork) -> VersionRow:
        return await uow.repo(RegulationVersion, VersionRow).get(version_id)

    @post("/versions/{version_id:uuid}/council-decision", opt=manage(), status_code=200)
    async def attach_decision(
        self, version_id: uuid.UUID, data: schemas.VersionDecisionIn, uow: UnitOfWork
    ) -> VersionRow:
        return await regulations.attach_decision(uow, version_id, data)

    @post("/versions/{version_id:uuid}/in-force", opt=manage(), status_code=200)
    async def put_in_force(self, version_id: uuid.UUID, uow: UnitOfWork) -> VersionRow:
        return await regulations.put_in_force(uow, version_id)

    @post("/versions/{version_id:uuid}/acknowledgements", opt=submit(Role.AGENCY_ADMIN))
    async def acknowledge(self, version_id: uuid.UUID, uow: UnitOfWork, principal: Principal) -> AcknowledgementRow:
        return await regulations.acknowledge(uow, principal, version_id)

    @get("/unacknowledged", opt=read(Role.OPERATOR, Role.AGENCY_ADMIN))
    async def unacknowledged(self, uow: UnitOfWork) -> list[Unacknowledged]:
        return await regulations.unacknowledged(uow)


CONTROLLERS = [CouncilController, BriefingController, RegulationController]

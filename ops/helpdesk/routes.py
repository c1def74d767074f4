"""The helpdesk API (GOV-11): /api/ops/helpdesk/... and the e-Stat inquiry form's POST /api/helpdesk/inquiries."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Router, get, post
from litestar.params import Parameter, QueryParameter

from govstat.ops.helpdesk import charges, intake, schemas, views, workflow
from govstat.ops.helpdesk.rows import TicketRow
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.web.paging import Offset

OP = Role.OPERATOR
ASKERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.INTERMEDIARY)
OPERATION = "ops.helpdesk"
State = Literal["received", "answered", "forwarded", "resolved", "closed"]


def _opt(*roles: Role) -> dict[str, Any]:
    # ops is part of the platform: agencies reach it without subscribing to a module
    return access(*roles, op=OPERATION, subscription=False)


class HelpdeskController(Controller):
    path = "/api/ops/helpdesk"
    tags = ["ops / ヘルプデスク"]

    @post("/tickets", opt=_opt(OP))
    async def record(self, data: schemas.TicketIn, uow: UnitOfWork) -> TicketRow:
        return await intake.record(uow, data)

    @post("/requests", opt=_opt(*ASKERS))
    async def submit(self, data: schemas.AgencyTicketIn, uow: UnitOfWork, principal: Principal) -> TicketRow:
        return await intake.submit(uow, principal, data)

    @get("/tickets", opt=_opt(OP, *ASKERS))
    async def list_tickets(
        self,
        uow: UnitOfWork,
        principal: Principal,
        in_state: Annotated[State | None, QueryParameter(name="state")] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
        offset: Offset = 0,
    ) -> schemas.TicketList:
        return await views.tickets(uow, principal, state=in_state, limit=limit, offset=offset)

    @get("/tickets/{ticket_id:uuid}", opt=_opt(OP, *ASKERS))
    async def get_ticket(self, ticket_id: uuid.UUID, uow: UnitOfWork, principal: Principal) -> schemas.TicketDetail:
        return await views.ticket(uow, principal, ticket_id)

    @get("/performance", opt=_opt(OP, Role.AGENCY_ADMIN, Role.AGENCY_STAFF))
    async def performance(
        self, uow: UnitOfWork, principal: Principal, days: Annotated[int, Parameter(ge=1, le=366)] = 90
    ) -> schemas.Performance:
        return await views.performance(uow, principal, days=days)

    @post("/tickets/{ticket_id:uuid}/answer", opt=_opt(OP), status_code=200)
    async def answer(self, ticket_id: uuid.UUID, data: schemas.AnswerIn, uow: UnitOfWork) -> TicketRow:
        return await workflow.transition(uow, ticket_id, "answer", body=data.body)

    @post("/tickets/{ticket_id:uuid}/forward", opt=_opt(OP), status_code=200)
    async def forward(self, ticket_id: uuid.UUID, data: schemas.ForwardIn, uow: UnitOfWork) -> TicketRow:
        return await workflow.forward(uow, ticket_id, data)

    @post("/tickets/{ticket_id:uuid}/resolve", opt=_opt(OP), status_code=200)
    async def resolve(self, ticket_id: uuid.UUID, data: schemas.NoteIn, uow: UnitOfWork) -> TicketRow:
        return await workflow.transition(uow, ticket_id, "resolve", body=data.note)

    @post("/tickets/{ticket_id:uuid}/close", opt=_opt(OP), status_code=200)
    async def close(self, ticket_id: uuid.UUID, data: schemas.NoteIn, uow: UnitOfWork) -> TicketRow:
        return await workflow.transition(uow, ticket_id, "close", body=data.note)

    @post("/tickets/{ticket_id:uuid}/reopen", opt=_opt(OP, *ASKERS), status_code=200)
    async def reopen(
        self, ticket_id: uuid.UUID, data: schemas.ReopenIn, uow: UnitOfWork, principal: Principal
    ) -> TicketRow:
        await views.ticket(uow, principal, ticket_id)  # an intermediary reopens only its own
        return await workflow.transition(uow, ticket_id, "reopen", body=data.reason)

    @post("/tickets/{ticket_id:uuid}/out-of-hours-charge", opt=_opt(OP), status_code=200)
    async def charge(self, ticket_id: uuid.UUID, data: schemas.ChargeIn, uow: UnitOfWork) -> TicketRow:
        return await charges.charge_out_of_hours(uow, ticket_id, data)


@post("/api/helpdesk/inquiries", opt=public("ops.helpdesk.inquiry"), tags=["ops / ヘルプデスク"])
async def inquiry(data: schemas.InquiryIn, uow: UnitOfWork, principal: Principal) -> schemas.InquiryReceipt:
    """e-Stat お問合せフォーム: anyone may send a question; it becomes an e-mail ticket of the operator."""
    return await intake.inquiry(uow, principal, data)


router = Router(path="/", route_handlers=[HelpdeskController, inquiry])

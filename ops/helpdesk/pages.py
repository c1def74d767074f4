"""Helpdesk pages: the ticket list with the chart of targets met, and one ticket (Japanese first)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get
from litestar.params import QueryParameter

from govstat.ops.helpdesk import charges, views
from govstat.ops.helpdesk.calendar import JST
from govstat.ops.helpdesk.metrics import FIRST_RESPONSE_MINUTES, RESOLUTION_MINUTES
from govstat.ops.helpdesk.subsystems import SUBSYSTEMS
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Principal, Role
from govstat.platform.web.pages import page

VIEWERS = (Role.OPERATOR, Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
STATES = {
    "received": "受付 / received",
    "answered": "回答済 / answered",
    "forwarded": "回付 / forwarded",
    "resolved": "解決 / resolved",
    "closed": "完了 / closed",
}
CHANNELS = {"phone": "電話 / phone", "email": "電子メール / e-mail", "web": "Webフォーム / web form"}
STATUS = {"met": "達成 / met", "missed": "未達 / missed", "pending": "対応中 / pending"}


def jst(value: dt.datetime | None) -> str:
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M") if value else "—"


def _labels() -> dict[str, Any]:
    return {
        "jst": jst,
        "states": STATES,
        "channels": CHANNELS,
        "status": STATUS,
        "subsystems": SUBSYSTEMS,
        "first_response_minutes": FIRST_RESPONSE_MINUTES,
        "resolution_minutes": RESOLUTION_MINUTES,
        "rate_yen": charges.RATE_YEN_PER_BLOCK,
        "block_minutes": charges.BLOCK_MINUTES,
    }


@get("/ops/helpdesk", opt=access(*VIEWERS, op="ops.helpdesk", subscription=False), include_in_schema=False)
async def list_page(
    request: Request,
    uow: UnitOfWork,
    principal: Principal,
    in_state: Annotated[str | None, QueryParameter(name="state")] = None,
) -> Any:
    state = in_state if in_state in STATES else None
    data = await views.tickets(uow, principal, state=state, limit=200)
    perf = await views.performance(uow, principal, days=90)
    # the chart reads `perf` as JSON (tojson): plain values, not a Struct
    return page(
        request,
        "helpdesk/list.html",
        tickets=data.items,
        total=data.total,
        perf=msgspec.to_builtins(perf),
        state=state,
        **_labels(),
    )


@get(
    "/ops/helpdesk/{ticket_id:uuid}",
    opt=access(*VIEWERS, op="ops.helpdesk", subscription=False),
    include_in_schema=False,
)
async def ticket_page(request: Request, ticket_id: uuid.UUID, uow: UnitOfWork, principal: Principal) -> Any:
    return page(request, "helpdesk/ticket.html", t=await views.ticket(uow, principal, ticket_id), **_labels())


router = Router(path="/", route_handlers=[list_page, ticket_page], tags=["ops / ヘルプデスク"])

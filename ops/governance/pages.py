"""The governance page (/ops/governance): briefings, regulations, requests, the liaison meeting and
the security audit, Japanese first. Agencies see what row-level security shows them."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get

from govstat.ops.governance import briefings, liaison, regulations, requests, security
from govstat.ops.governance.access import read
from govstat.ops.governance.common import fiscal_year, today
from govstat.ops.helpdesk.pages import jst
from govstat.ops.helpdesk.subsystems import SUBSYSTEMS
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal
from govstat.platform.web.pages import page

REQUEST_STATES = {
    "submitted": "受付 / submitted",
    "coordinating": "総務省と調整中 / coordinating with MIC",
    "deliberation": "協議会で協議中 / at the council",
    "accepted": "採択 / accepted",
    "rejected": "不採択 / rejected",
    "in_progress": "対応中 / in progress",
    "done": "完了 / done",
    "reported": "協議会へ報告済 / reported",
}
SEVERITY = {
    "critical": "緊急 / critical",
    "high": "高 / high",
    "medium": "中 / medium",
    "low": "低 / low",
    "info": "情報 / info",
}


@get("/ops/governance", opt=read(), include_in_schema=False)
async def governance_page(request: Request, uow: UnitOfWork, principal: Principal) -> Any:
    year = fiscal_year(today())
    overview = await briefings.overview(uow)
    held = {b.module_key for b in overview.briefings if b.kind == "annual" and b.fiscal_year == year}
    context: dict[str, Any] = {
        "fy": year,
        "briefings": overview.briefings,
        "briefing_requests": overview.requests,
        "annual_missing": [k for k in SUBSYSTEMS if k not in held],
        "regulations": await regulations.catalogue(uow),
        "unacknowledged": await regulations.unacknowledged(uow),
        "requests": await requests.listing(uow),
        "meetings": await liaison.meetings(uow),
        "members": [],
        "audits": [],
        "findings": [],
        "is_operator": principal.is_operator,
    }
    if principal.is_operator:
        context.update(
            members=await liaison.members(uow),
            audits=await security.audits(uow),
            findings=await security.open_findings(uow),
        )
    return page(
        request,
        "governance/index.html",
        jst=jst,
        subsystems=SUBSYSTEMS,
        request_states=REQUEST_STATES,
        severity=SEVERITY,
        **context,
    )


router = Router(path="/", route_handlers=[governance_page], tags=["ops / 運営記録"])

"""Who may call the reports and plans API (GOV-13, GOV-14).

The operator builds, reads and issues everything. MIC reads its own report and the issued ones:
those figures span every tenant, which MIC's own scope (one tenant) cannot read, so MIC's reads run
in a read-only platform scope (`reading`) inside the request's own transaction: a second unit of work
would hold a second pooled connection per request (issue 8's deadlock). Agency administrators answer the plan's survey for
their own organisation only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import Operation, access
from govstat.platform.security import Principal, Role

REPORTS, PLANS = "ops.reports", "ops.plans"
OPERATIONS = (
    Operation(REPORTS, "年次報告（担当者会議・総務省）の作成・参照・発行"),
    Operation(PLANS, "運用管理計画と利用予定等の照会"),
)


def operator(op: str) -> dict[str, Any]:
    return access(Role.OPERATOR, op=op, subscription=False)


def oversight() -> dict[str, Any]:
    """The operator and MIC."""
    return access(Role.OPERATOR, Role.MIC, op=REPORTS, subscription=False)


def respondent() -> dict[str, Any]:
    """The operator and agency administrators (each for its own organisation)."""
    return access(Role.OPERATOR, Role.AGENCY_ADMIN, op=PLANS, subscription=False)


@asynccontextmanager
async def reading(uow: UnitOfWork, principal: Principal) -> AsyncIterator[UnitOfWork]:
    """The request's own unit of work for the operator; for MIC the same unit of work in a
    read-only platform scope (a savepoint, undone afterwards: see UnitOfWork.platform_read)."""
    if principal.is_operator:
        yield uow
        return
    async with uow.platform_read(principal.subject or "mic") as mic:
        yield mic

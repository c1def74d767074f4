"""Dashboards of operations (/ops for the operator, /ops/tenant for an agency's own view)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Router, get, post
from litestar.params import Parameter

from govstat.ops.monitoring import queries, replication
from govstat.ops.monitoring.replication import Outcome
from govstat.ops.monitoring.schemas import (
    AuditPage,
    DeadLetters,
    PipelineHealth,
    ReplayedMany,
    SecurityEvents,
    UsageSeries,
)
from govstat.platform.cache import redis_client
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.replay import Replayed, Replayer
from govstat.platform.module import access
from govstat.platform.security import Principal, Role
from govstat.platform.web.pages import page
from govstat.platform.web.paging import Offset

OPERATOR = (Role.OPERATOR,)
AGENCY_VIEW = (Role.OPERATOR, Role.MIC, Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
REPLAY = access(*OPERATOR, op="ops.replay", subscription=False, audit=True)
Minutes = Annotated[int, Parameter(ge=5, le=1440)]
Hours = Annotated[int, Parameter(ge=1, le=24 * 31)]


def _own_tenant(principal: Principal, requested: uuid.UUID | None) -> uuid.UUID | None:
    # Agencies always see their own tenant; the operator may pick one or see all.
    return requested if principal.is_operator else principal.tenant_id


@get("/api/ops/usage", opt=access(*AGENCY_VIEW, op="ops.read", subscription=False))
async def usage(
    uow: UnitOfWork,
    principal: Principal,
    minutes: Minutes = 60,
    group: Literal["module", "tenant"] = "module",
    tenant: uuid.UUID | None = None,
) -> UsageSeries:
    return await queries.usage_series(uow, minutes=minutes, group=group, tenant_id=_own_tenant(principal, tenant))


@get("/api/ops/pipeline", opt=access(*OPERATOR, op="ops.read", subscription=False))
async def pipeline(uow: UnitOfWork) -> PipelineHealth:
    """Consumer lag, outbox backlog, dead letters and the usage stream waiting in Redis."""
    health = await queries.pipeline_health(uow)
    try:
        return msgspec.structs.replace(health, usage_stream=await redis_client().xlen("govstat:usage"))
    except Exception:
        return health


@get("/api/ops/dead-letters", opt=access(*OPERATOR, op="ops.read", subscription=False))
async def dead_letters(uow: UnitOfWork, limit: Annotated[int, Parameter(ge=1, le=200)] = 20) -> DeadLetters:
    """Events set aside after failing MAX_ATTEMPTS times or unreadable: per consumer and the latest, with the error."""
    return await queries.dead_letters(uow, limit=limit)


@post("/api/ops/dead-letters/{dead_letter_id:int}/replay", status_code=200, opt=REPLAY)
async def replay_dead_letter(uow: UnitOfWork, catalog: Catalog, principal: Principal, dead_letter_id: int) -> Replayed:
    """Put one dead letter back once its cause is fixed (platform/events/replay.py): the relay's into the
    outbox, a read model's applied again with its duplicate marker. 404: no such dead letter; 409:
    replayed already, or its event still dated ahead of the database's clock. A replay that fails
    again answers outcome `failed` with the new error (the row stays open)."""
    return await Replayer.of(catalog).one(uow, dead_letter_id, by=principal.subject)


@post("/api/ops/dead-letters/replay", status_code=200, opt=REPLAY)
async def replay_dead_letters(
    uow: UnitOfWork,
    catalog: Catalog,
    principal: Principal,
    consumer: Annotated[str, Parameter(min_length=1, max_length=64)],
    limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
) -> ReplayedMany:
    """Put back the open dead letters of one consumer (`relay` or a read model), oldest first; each
    answers its outcome (`refused` with the reason for one still dated ahead, left open)."""
    items = await Replayer.of(catalog).consumer(uow, consumer, by=principal.subject, limit=limit)
    return ReplayedMany(consumer=consumer, items=items)


@get("/api/ops/replication", opt=access(*OPERATOR, op="ops.read", subscription=False))
async def replication_status(uow: UnitOfWork) -> Outcome:
    """The replication check's figures (slots: active, age(xmin), WAL held since restart_lsn; standbys:
    replay lag), its thresholds, what exceeds them and its open alert; on the primary, changing nothing."""
    return await replication.observe(uow)


@get("/api/ops/security", opt=access(*AGENCY_VIEW, op="ops.read", subscription=False))
async def security(
    uow: UnitOfWork, principal: Principal, hours: Hours = 24, tenant: uuid.UUID | None = None
) -> SecurityEvents:
    return await queries.security_events(uow, hours=hours, tenant_id=_own_tenant(principal, tenant))


@get("/api/ops/audit", opt=access(*AGENCY_VIEW, op="ops.audit", subscription=False))
async def audit_search(
    request: Request,
    uow: UnitOfWork,
    principal: Principal,
    tenant: uuid.UUID | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> AuditPage:
    """The audit log, searchable by tenant, actor, action (prefix) and time."""
    return await queries.search_audit(
        uow,
        tenant_id=_own_tenant(principal, tenant),
        actor=actor,
        action=action,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )


@get("/ops", opt=access(*OPERATOR, op="ops.read", subscription=False), include_in_schema=False)
async def ops_page(request: Request) -> Any:
    return page(request, "ops/dashboard.html", tenant_view=False)


@get("/ops/tenant", opt=access(*AGENCY_VIEW, op="ops.read", subscription=False), include_in_schema=False)
async def tenant_page(request: Request) -> Any:
    return page(request, "ops/dashboard.html", tenant_view=True)


@get("/ops/audit", opt=access(*AGENCY_VIEW, op="ops.audit", subscription=False), include_in_schema=False)
async def audit_page(
    request: Request,
    uow: UnitOfWork,
    principal: Principal,
    actor: str = "",
    action: str = "",
    tenant: uuid.UUID | None = None,
) -> Any:
    data = await queries.search_audit(
        uow,
        tenant_id=_own_tenant(principal, tenant),
        actor=actor or None,
        action=action or None,
        since=None,
        until=None,
        limit=200,
        offset=0,
    )
    return page(request, "ops/audit.html", rows=data.items, total=data.total, actor=actor, action=action)


router = Router(
    path="/",
    route_handlers=[
        usage,
        pipeline,
        dead_letters,
        replay_dead_letter,
        replay_dead_letters,
        replication_status,
        security,
        audit_search,
        ops_page,
        tenant_page,
        audit_page,
    ],
    tags=["ops / 運用管理"],
)

"""The report to MIC (総務省への運用状況報告, GOV-13; 約款 第7 2): the operator's summary figures of a
fiscal year: tenants by kind and status, contracts, usage totals, incidents, the helpdesk against its
targets, briefings held, agencies' requests and the security audit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from govstat.ops.helpdesk.metrics import summarize
from govstat.ops.helpdesk.rows import TicketFigures
from govstat.ops.helpdesk.schemas import TargetSummary
from govstat.ops.reports import incidents, periods, usage
from govstat.ops.reports.mic.rows import (
    KindCount,
    RegistrationCounts,
    RequestCounts,
    SecurityAuditRow,
)
from govstat.ops.reports.models import (
    BriefingFigures,
    ContractFigures,
    HelpdeskFigures,
    IncidentFigures,
    KindStatus,
    MicReport,
    RequestFigures,
    TargetFigures,
)
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.tenants import directory

Step = Callable[[str], None] | None
STEPS = 3


async def build(uow: UnitOfWork, catalog: Catalog, fy: int, step: Step = None) -> MicReport:
    tell = step or (lambda name: None)
    start, end = periods.bounds(fy)
    subsystems = await usage.year_usage(uow, catalog, fy, with_tenants=False)
    entries = await incidents.year_incidents(uow, fy, usage.subsystem_names(catalog))
    tell("利用状況・障害 / usage and incidents")
    tenants = [
        KindStatus(kind=r.kind, status=r.status, tenants=r.n) for r in await directory.counts_by_kind_status(uow)
    ]
    activated = await directory.activated_by_kind(uow, start, end)
    contracts = await _contracts(uow, start.date(), end.date())
    tell("利用機関・契約 / tenants and contracts")
    helpdesk, briefings = await _helpdesk(uow, start, end), await _briefings(uow, start, end)
    requests, security = await _requests(uow, start, end), await _security(uow, fy)
    tell("ヘルプデスク・説明会 / helpdesk and briefings")
    return MicReport(
        fiscal_year=fy,
        generated_at=periods.now(),
        tenants=tenants,
        tenants_activated=activated,
        contracts=contracts,
        usage=subsystems,
        usage_total=usage.add([s.total for s in subsystems]),
        incidents=IncidentFigures(
            total=len(entries),
            by_severity=dict(Counter(i.severity for i in entries)),
            recovered=sum(i.recovered_at is not None for i in entries),
            reviewed=sum(bool(i.cause) for i in entries),
            outage_minutes=round(sum(i.duration_minutes or 0 for i in entries), 1),
            platform_wide=sum(i.module_key is None for i in entries),
        ),
        helpdesk=helpdesk,
        briefings=briefings,
        requests=requests,
        security_audit=security,
    )


async def _contracts(uow: UnitOfWork, first: dt.date, after: dt.date) -> ContractFigures:
    c = await directory.contract_counts(uow, first, after)
    return ContractFigures(
        bulk_references=c.bulk_references,
        constituents_covered=c.constituents_covered,
        approved_in_force=c.in_force,
        approved_signed=c.signed,
        approved_ended=c.ended,
    )


def _target(figures: TargetSummary) -> TargetFigures:
    met, missed = figures.met, figures.missed
    return TargetFigures(
        met=met,
        missed=missed,
        pending=figures.pending,
        met_rate=round(100.0 * met / (met + missed), 1) if met + missed else None,
    )


async def _helpdesk(uow: UnitOfWork, start: dt.datetime, end: dt.datetime) -> HelpdeskFigures:
    rows = await uow.rows(
        TicketFigures,
        "SELECT channel, requester_kind, received_at, first_response_due, resolution_due, first_response_at,"
        " resolved_at, charged_at FROM helpdesk_ticket WHERE received_at >= $1 AND received_at < $2",
        start,
        end,
    )
    summary = summarize(rows, periods.now())
    return HelpdeskFigures(
        tickets=len(rows),
        by_channel=dict(Counter(r.channel for r in rows)),
        by_requester=dict(Counter(r.requester_kind for r in rows)),
        first_response=_target(summary.first_response),
        resolution=_target(summary.resolution),
        out_of_hours_charged=sum(r.charged_at is not None for r in rows),
    )


async def _briefings(uow: UnitOfWork, start: dt.datetime, end: dt.datetime) -> BriefingFigures:
    held = "s.cancelled_at IS NULL AND s.starts_at >= $1 AND s.starts_at < $2 AND s.starts_at <= now()"
    kinds = await uow.rows(
        KindCount,
        f"SELECT b.kind, count(*)::int AS n FROM briefing_session s JOIN briefing b"
        f" ON b.id = s.briefing_id WHERE {held} GROUP BY 1 ORDER BY 1",
        start,
        end,
    )
    regs = await uow.one(
        RegistrationCounts,
        f"SELECT count(*)::int AS registered, count(*) FILTER (WHERE r.attended)::int AS attended"
        f" FROM briefing_registration r JOIN briefing_session s ON s.id = r.session_id"
        f" WHERE r.cancelled_at IS NULL AND {held}",
        start,
        end,
    )
    requests: int = await uow.fetchval(
        "SELECT count(*)::int FROM briefing_request WHERE requested_at >= $1 AND requested_at < $2", start, end
    )
    return BriefingFigures(
        sessions_held=sum(r.n for r in kinds),
        by_kind={r.kind: r.n for r in kinds},
        registrations=regs.registered,
        attended=regs.attended,
        requests=requests,
    )


async def _requests(uow: UnitOfWork, start: dt.datetime, end: dt.datetime) -> RequestFigures:
    row = await uow.one(
        RequestCounts,
        "SELECT count(*) FILTER (WHERE kind = 'improvement')::int AS improvement,"
        " count(*) FILTER (WHERE kind = 'change')::int AS change FROM agency_request"
        " WHERE submitted_at >= $1 AND submitted_at < $2",
        start,
        end,
    )
    completed: int = await uow.fetchval(
        "SELECT count(DISTINCT request_id)::int FROM agency_request_event WHERE state_to IN ('done', 'reported')"
        " AND at >= $1 AND at < $2",
        start,
        end,
    )
    return RequestFigures(improvement_submitted=row.improvement, change_submitted=row.change, completed=completed)


async def _security(uow: UnitOfWork, fy: int) -> str:
    a = await uow.row(
        SecurityAuditRow,
        "SELECT auditor, started_on, completed_on, (SELECT count(*) FROM security_finding f WHERE f.audit_id = a.id)"
        " AS findings, (SELECT count(*) FROM security_finding f WHERE f.audit_id = a.id AND f.status = 'open')"
        " AS open FROM security_audit a WHERE fiscal_year = $1",
        fy,
    )
    if a is None:
        return "未登録 / not recorded"
    done = f"{a.completed_on} 完了 / completed" if a.completed_on else "実施中 / in progress"
    return (
        f"{a.auditor}: {a.started_on} 開始 / started, {done}; 指摘 {a.findings} 件 (未完了 {a.open} 件)"
        f" / {a.findings} findings ({a.open} open)"
    )

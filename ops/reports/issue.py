"""Issuing a report or the plan (発行): the figures as they stand are stored as JSON with who issued
them; re-issuing adds the next version. Reading an issued report decodes the stored figures, so
later changes to the read models never change it (the database refuses to change the row)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from govstat.ops.reports.annual import figures as annual
from govstat.ops.reports.mic import figures as mic
from govstat.ops.reports.models import REPORT_TYPES, Report
from govstat.ops.reports.plan import figures as plan
from govstat.ops.reports.rows import IssueRow, MeetingChoice
from govstat.ops.reports.schemas import IssueIn
from govstat.platform.catalog import Catalog
from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit

BUILDERS: dict[str, Callable[..., Awaitable[Report]]] = {"annual": annual.build, "mic": mic.build, "plan": plan.build}
META = columns(IssueRow)


async def build(uow: UnitOfWork, catalog: Catalog, kind: str, fy: int, **options: Any) -> Report:
    return await BUILDERS[kind](uow, catalog, fy, **options)


async def meetings(uow: UnitOfWork) -> list[MeetingChoice]:
    """The latest liaison meetings, to choose where an issued report is presented."""
    return await uow.rows(
        MeetingChoice, "SELECT id, title, held_at FROM liaison_meeting ORDER BY held_at DESC LIMIT 20"
    )


async def _check_meeting(uow: UnitOfWork, kind: str, meeting_id: uuid.UUID | None) -> None:
    if meeting_id is None:
        return
    if kind == "mic":
        raise InvalidInput.field(
            "liaison_meeting_id", "総務省への報告は担当者会議に付しません / the MIC report goes to MIC"
        )
    if not await uow.fetchval("SELECT 1 FROM liaison_meeting WHERE id = $1", meeting_id):
        raise InvalidInput.field("liaison_meeting_id", "担当者会議が見つかりません / no such liaison meeting")


async def issue(
    uow: UnitOfWork, catalog: Catalog, kind: str, data: IssueIn, issued_by_name: str = "", **options: Any
) -> IssueRow:
    """`options` go to the builder (the plan's session capacity)."""
    await _check_meeting(uow, kind, data.liaison_meeting_id)
    # one issuer at a time per report and year, so versions follow each other without gaps
    await uow.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"report_issue:{kind}:{data.fiscal_year}")
    report = await build(uow, catalog, kind, data.fiscal_year, **options)
    row = await uow.one(
        IssueRow,
        "INSERT INTO report_issue (id, kind, fiscal_year, version, figures, liaison_meeting_id, note, issued_by,"
        " issued_by_name) SELECT $1, $2::varchar, $3::int, coalesce(max(version), 0) + 1, $4::jsonb, $5, $6, $7, $8"
        f" FROM report_issue WHERE kind = $2::varchar AND fiscal_year = $3::int RETURNING {META}",
        uuid.uuid4(),
        kind,
        data.fiscal_year,
        msgspec.json.encode(report).decode(),
        data.liaison_meeting_id,
        data.note,
        uow.scope.actor,
        issued_by_name,
    )
    await audit(
        uow,
        "report.issued",
        tenant_id=None,
        target_type="report_issue",
        target_id=row.id,
        module="ops",
        kind=kind,
        fiscal_year=data.fiscal_year,
        version=row.version,
        liaison_meeting_id=data.liaison_meeting_id,
    )
    return row


async def link_meeting(uow: UnitOfWork, issue_id: uuid.UUID, meeting_id: uuid.UUID) -> IssueRow:
    """Record the liaison meeting where an issued report or plan was reported (once)."""
    current = await meta(uow, issue_id)
    await _check_meeting(uow, current.kind, meeting_id)
    row = await uow.one(
        IssueRow,
        f"UPDATE report_issue SET liaison_meeting_id = $2 WHERE id = $1 RETURNING {META}",
        issue_id,
        meeting_id,
        what=f"report_issue {issue_id} ",
    )
    await audit(
        uow,
        "report.linked_to_meeting",
        tenant_id=None,
        target_type="report_issue",
        target_id=issue_id,
        module="ops",
        liaison_meeting_id=meeting_id,
    )
    return row


async def listing(uow: UnitOfWork, kind: str | None = None, fy: int | None = None) -> list[IssueRow]:
    w = Where().eq("kind", kind).eq("fiscal_year", fy)
    return await uow.rows(
        IssueRow, f"SELECT {META} FROM report_issue WHERE {w} ORDER BY fiscal_year DESC, kind, version DESC", *w.args
    )


async def meta(uow: UnitOfWork, issue_id: uuid.UUID) -> IssueRow:
    return await uow.one(
        IssueRow, f"SELECT {META} FROM report_issue WHERE id = $1", issue_id, what=f"report_issue {issue_id} "
    )


async def load(uow: UnitOfWork, issue_id: uuid.UUID) -> tuple[IssueRow, Report]:
    """(its metadata, the report as issued)."""
    info = await meta(uow, issue_id)
    figures = await uow.fetchval("SELECT figures::text FROM report_issue WHERE id = $1", issue_id)
    report: Report = msgspec.json.decode(figures, type=REPORT_TYPES[info.kind])
    return info, report

"""Use cases of intermediaries: the agency grants a survey and assigns units by area; the intermediary
reads its units' status, produces the fixed forms and reports completion. Row-level security shows an
intermediary (app.role 'intermediary', its own tenant) only granted surveys and assigned units."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import msgspec

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.online import export, surveys
from govstat.platform.subsystems.online.events import IntermediaryCompleted, IntermediaryGranted
from govstat.platform.web.spreadsheet import csv_writer

JST = dt.timezone(dt.timedelta(hours=9))


class GrantView(msgspec.Struct, kw_only=True):
    survey_id: uuid.UUID
    intermediary_tenant_id: uuid.UUID
    granted_at: dt.datetime
    completed_at: dt.datetime | None
    completion_note: str
    units: int
    received: int
    name: str = ""  # the intermediary tenant's name (tenants' directory)


GRANTS = (
    "SELECT g.survey_id, g.intermediary_tenant_id, g.granted_at, g.completed_at, g.completion_note,"
    " (SELECT count(*) FROM online_unit u WHERE u.survey_id = g.survey_id AND u.intermediary_tenant_id = g.intermediary_tenant_id) AS units,"
    " (SELECT count(DISTINCT s.unit_id) FROM online_submission s JOIN online_unit u ON u.id = s.unit_id"
    "  WHERE u.survey_id = g.survey_id AND u.intermediary_tenant_id = g.intermediary_tenant_id) AS received"
    " FROM online_grant g"
)


async def grant(uow: UnitOfWork, survey_id: uuid.UUID, code: str, area_codes: list[str]) -> GrantView:
    """The agency's: grant its survey to the tenant with this code and assign it the units in these areas."""
    survey = await surveys.get(uow, survey_id)
    async with uow.platform_read("online.grant") as sys:
        target = await directory.tenant_id(sys, code)
    if target is None or target == survey.tenant_id:
        raise InvalidInput.field("code", f"経由機関となる利用機関 {code} がありません / no such other tenant")
    await uow.execute(
        "INSERT INTO online_grant (survey_id, tenant_id, intermediary_tenant_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        survey_id,
        survey.tenant_id,
        target,
    )
    await uow.execute(
        "UPDATE online_unit SET intermediary_tenant_id = $2 WHERE survey_id = $1 AND area_code = ANY($3::text[])",
        survey_id,
        target,
        area_codes,
    )
    await emit(uow, IntermediaryGranted(survey_id=survey_id, intermediary_tenant_id=target), tenant_id=survey.tenant_id)
    await audit(
        uow,
        "online.intermediary_granted",
        tenant_id=survey.tenant_id,
        target_type="online_survey",
        target_id=survey_id,
        module="online",
        intermediary=str(target),
        areas=area_codes,
    )
    row = await uow.row(
        GrantView, f"{GRANTS} WHERE g.survey_id = $1 AND g.intermediary_tenant_id = $2", survey_id, target
    )
    assert row is not None
    return row


async def grants(uow: UnitOfWork, survey_id: uuid.UUID | None = None) -> list[GrantView]:
    """The agency's grants of a survey, or (survey_id None) an intermediary's own grants."""
    if survey_id is not None:
        await surveys.get(uow, survey_id)
        return await uow.rows(GrantView, f"{GRANTS} WHERE g.survey_id = $1 ORDER BY g.granted_at", survey_id)
    return await uow.rows(
        GrantView, f"{GRANTS} WHERE g.intermediary_tenant_id = govstat_scope_tenant() ORDER BY g.granted_at DESC"
    )


async def named(uow: UnitOfWork, grants: list[GrantView]) -> list[GrantView]:
    """The grants with their intermediaries' names (another tenant's name: read in a platform scope)."""
    if grants:
        async with uow.platform_read("online.intermediaries") as sys:
            names = {
                r["id"]: r["name_ja"]
                for r in await sys.fetch(
                    "SELECT id, name_ja FROM directory_tenant WHERE id = ANY($1::uuid[])",
                    [g.intermediary_tenant_id for g in grants],
                )
            }
        for g in grants:
            g.name = names.get(g.intermediary_tenant_id, "")
    return grants


async def complete(uow: UnitOfWork, survey_id: uuid.UUID, note: str) -> None:
    """The intermediary's completion report (完了報告) to the agency."""
    await surveys.get(uow, survey_id)
    done = await uow.execute(
        "UPDATE online_grant SET completed_at = now(), completion_note = $2"
        " WHERE survey_id = $1 AND intermediary_tenant_id = govstat_scope_tenant()",
        survey_id,
        note[:2000],
    )
    if done == "UPDATE 0":
        raise NotFound("この調査の委託がありません / no such grant")
    await emit(uow, IntermediaryCompleted(survey_id=survey_id), tenant_id=uow.scope.tenant_id)
    await audit(
        uow,
        "online.intermediary_completed",
        tenant_id=uow.scope.tenant_id,
        target_type="online_survey",
        target_id=survey_id,
        module="online",
    )


async def units(uow: UnitOfWork, survey_id: uuid.UUID, submitted: bool | None = None) -> list[export.UnitStatus]:
    await surveys.get(uow, survey_id)
    return (
        await export.status(
            uow,
            survey_id,
            submitted=submitted,
            limit=100_000,
            offset=0,
            extra=" AND u.intermediary_tenant_id = govstat_scope_tenant()",
        )
    )[1]


def receipt_list(rows: list[export.UnitStatus]) -> bytes:
    """受付一覧: every assigned unit that answered, with its receipt number."""
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    w.writerow(["地域コード", "回答者ID", "調査単位", "受付番号", "版", "方法", "受付日時"])
    for r in rows:
        if r.receipt_no:
            when = r.submitted_at.astimezone(JST).strftime("%Y-%m-%d %H:%M") if r.submitted_at else ""
            w.writerow([r.area_code, r.respondent_code, r.unit_name, r.receipt_no, r.version_no, r.channel, when])
    return ("\ufeff" + out.getvalue()).encode()


def nonresponse_list(rows: list[export.UnitStatus]) -> bytes:
    """未回答一覧 per area: the assigned units not yet answered, grouped by area with a count line."""
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    w.writerow(["地域コード", "回答者ID", "調査単位"])
    by_area: dict[str, int] = {}
    for r in rows:
        if not r.receipt_no:
            w.writerow([r.area_code, r.respondent_code, r.unit_name])
            by_area[r.area_code] = by_area.get(r.area_code, 0) + 1
    for area, n in sorted(by_area.items()):
        w.writerow([area, "（計）", n])
    return ("\ufeff" + out.getvalue()).encode()

"""The metadata registry API under /api/metadata (METADATA-1).

Public (no sign-in): published metadata (`/surveys`), its exports, and the linkage lookups the
e-Stat portal uses (`/by-table/{statsDataId}`, `/by-file/{id}`). Agencies (session or API key):
their records with drafts (`/records`); the operator approves or sends back finalised versions."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any, Literal

from litestar import Request, Response, Router, get, patch, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.module import access, public
from govstat.platform.security import Role
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.metadata import export, public_search, queries, service
from govstat.platform.subsystems.metadata.schemas import (
    ByFile,
    ByTable,
    PublishedDoc,
    RecordPage,
    RecordView,
    RejectIn,
    SurveyIn,
    SurveyPage,
    SurveyPatch,
)
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Offset

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READERS = (*AGENCY, Role.OPERATOR)
Limit = Annotated[int, Parameter(ge=1, le=1000)]
Code = Annotated[str | None, Parameter(pattern=r"^[0-9A-Za-z]{1,16}$")]
Words = Annotated[str | None, Parameter(max_length=200)]
Version = Annotated[int | None, Parameter(ge=1, description="a former published version (default: the current one)")]
Status = Literal["draft", "finalised", "published", "superseded"]


# --- public: published metadata -------------------------------------------------------------


@get("/surveys", opt=public("metadata.search"))
async def search(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    q: Words = None,
    agency: Code = None,
    field: Code = None,
    gov_stat_code: Code = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> SurveyPage:
    """Published metadata: `q` words (survey name, purpose, population, statistic, items), `agency`
    (府省等コード, e.g. 00200), `field` (統計分野, e.g. 02), `gov_stat_code`."""
    total, rows = await public_search.search_published(
        uow, q=q, agency=agency, field=field, gov_stat_code=gov_stat_code, limit=limit, offset=offset
    )
    set_units(request, len(rows))
    return SurveyPage(total=total, offset=offset, items=rows)


@get("/surveys/{record_id:uuid}", opt=public("metadata.read"))
async def survey(uow: UnitOfWork, record_id: uuid.UUID, version: Version = None) -> PublishedDoc:
    """The published metadata of one survey: fields, items, classifications used, linked published tables."""
    return await public_search.published(uow, record_id, version)


@get("/surveys/{record_id:uuid}/export", opt=public("metadata.export"))
async def export_survey(
    uow: UnitOfWork, record_id: uuid.UUID, format: Literal["json", "ddi"] = "json", version: Version = None
) -> Response[bytes]:
    """Download: `format=json` (govstat-metadata/1) or `format=ddi` (DDI Codebook 2.5 XML)."""
    doc = await public_search.published(uow, record_id, version)
    base = get_settings().base_url
    name = f"metadata-{doc.statistic.code}-{record_id}-v{doc.version}"
    if format == "ddi":
        return Response(
            export.ddi_export(doc, base),
            media_type="application/xml; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}.ddi.xml"'},
        )
    return Response(
        export.json_export(doc, base),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="{name}.json"'},
    )


@get("/by-table/{stats_data_id:str}", opt=public("metadata.link"))
async def by_table(uow: UnitOfWork, stats_data_id: str) -> ByTable:
    """The published metadata of a database table (for the portal's table page): metadata linked
    to it or to the table file it came from (`items`), and of the same statistic (`related`)."""
    if not re.fullmatch(r"[0-9]{10}", stats_data_id):
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table {stats_data_id} not found")
    return await public_search.by_table(uow, stats_data_id)


@get("/by-file/{file_id:uuid}", opt=public("metadata.link"))
async def by_file(uow: UnitOfWork, file_id: uuid.UUID) -> ByFile:
    """The published metadata linked to a table file (or to the database table handed over from it)."""
    return await public_search.by_file(uow, file_id)


# --- agencies and the operator: records with their drafts -------------------------------------


@get("/records", opt=access(*READERS, op="metadata.manage"))
async def list_records(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    status: Status | None = None,
    gov_stat_code: Code = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RecordPage:
    """Your records (the operator: everyone's), by their latest version's status; `status=finalised`
    is the operator's approval queue."""
    total, rows = await queries.list_records(
        uow, status=status, gov_stat_code=gov_stat_code, limit=limit, offset=offset
    )
    set_units(request, len(rows))
    return RecordPage(total=total, offset=offset, items=rows)


@post("/records", opt=access(*AGENCY, op="metadata.register", audit=True))
async def create_record(uow: UnitOfWork, data: SurveyIn) -> RecordView:
    """Register the metadata of a survey of one of your agency's statistics: version 1, a draft."""
    return await service.create(uow, data)


@get("/records/{record_id:uuid}", opt=access(*READERS, op="metadata.manage"))
async def get_record(uow: UnitOfWork, record_id: uuid.UUID) -> RecordView:
    """A record with its published version and its open (draft or finalised) version."""
    return await queries.record_view(uow, record_id)


@patch("/records/{record_id:uuid}", opt=access(*AGENCY, op="metadata.register", audit=True))
async def update_record(uow: UnitOfWork, record_id: uuid.UUID, data: SurveyPatch) -> RecordView:
    """Change the draft; after publication this opens a new draft version (the published one stays)."""
    return await service.update(uow, record_id, data)


@post(
    "/records/{record_id:uuid}/finalise",
    opt=access(Role.AGENCY_ADMIN, op="metadata.finalise", audit=True),
    status_code=200,
)
async def finalise(uow: UnitOfWork, record_id: uuid.UUID) -> RecordView:
    """確定 (the agency's administrator): the draft is fixed and waits for the operator's approval."""
    return await service.finalise(uow, record_id)


@post(
    "/records/{record_id:uuid}/approve", opt=access(Role.OPERATOR, op="metadata.approve", audit=True), status_code=200
)
async def approve(uow: UnitOfWork, record_id: uuid.UUID) -> RecordView:
    """承認 (the operator): publish the finalised version; the former published version is superseded."""
    return await service.approve(uow, record_id)


@post("/records/{record_id:uuid}/reject", opt=access(Role.OPERATOR, op="metadata.approve", audit=True), status_code=200)
async def reject(uow: UnitOfWork, record_id: uuid.UUID, data: RejectIn) -> RecordView:
    """差戻し (the operator): send the finalised version back to the agency as a draft, with the reason."""
    return await service.reject(uow, record_id, data.reason)


api = Router(
    path="/api/metadata",
    tags=["metadata / 統計メタデータレジストリ"],
    route_handlers=[
        search,
        survey,
        export_survey,
        by_table,
        by_file,
        list_records,
        create_record,
        get_record,
        update_record,
        finalise,
        approve,
        reject,
    ],
)

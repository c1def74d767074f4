"""API of the classification database, under /api/classification (CLASSIFICATION-1). Public."""

from __future__ import annotations

import msgspec
from litestar import Request, Response, Router, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import Enqueued
from govstat.platform.module import access, public
from govstat.platform.security import Principal, Role
from govstat.platform.subsystems.classification import service
from govstat.platform.subsystems.classification.jobs import RELOAD
from govstat.platform.subsystems.classification.rows import (
    Catalogue,
    ChangesPage,
    Item,
    ItemDetail,
    VersionDetail,
)
from govstat.platform.subsystems.classification.schemas import (
    ChangeKind,
    ClassificationKey,
    CodePrefix,
    Format,
    FromVersion,
    Level,
    Limit,
    Offset,
    ToVersion,
    VersionKey,
    Words,
)
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Listing

CSV = "text/csv; charset=utf-8"
DEFAULT_FROM, DEFAULT_TO = "jsic-13", "jsic-14"


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


@get("/versions", opt=public("classification.read"))
async def list_versions(uow: UnitOfWork) -> Catalogue:
    """Every classification version (revision, date it applies from, items per level) and the computed
    correspondences between versions."""
    return await service.catalogue(uow)


@get("/versions/{version:str}", opt=public("classification.read"))
async def get_version(uow: UnitOfWork, version: str) -> VersionDetail:
    """One version: counts per level and its 大分類."""
    return await service.version_detail(uow, version)


@get("/versions/{version:str}/items/{code:str}", opt=public("classification.read"))
async def get_item(uow: UnitOfWork, version: str, code: str) -> ItemDetail:
    """One item with its path (大 > 中 > 小 > 細), children, and its rows in the revision correspondences."""
    return await service.item_detail(uow, version, code)


@get("/search", opt=public("classification.search"))
async def search(
    request: Request,
    uow: UnitOfWork,
    q: Words = None,
    code: CodePrefix = None,
    classification: ClassificationKey = None,
    version: VersionKey = None,
    level: Level = None,
    descriptions: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Listing[Item]:
    """Search items across levels and versions by words (every word must occur in the Japanese or English
    name; with descriptions=true also in the explanatory text) and/or by code prefix."""
    total, rows = await service.search(
        uow,
        q=q,
        code=code,
        classification=classification,
        version=version,
        level=level,
        descriptions=descriptions,
        limit=limit,
        offset=offset,
    )
    set_units(request, len(rows))
    return Listing(total=total, offset=offset, items=rows)


@get("/versions/{version:str}/download", opt=public("classification.download"))
async def download_version(request: Request, uow: UnitOfWork, version: str, format: Format = "csv") -> Response:
    """All items of a version as CSV (UTF-8 with BOM) or JSON."""
    v, rows = await service.export_items(uow, version)
    set_units(request, len(rows))
    if format == "json":
        return Response(
            service.items_json(v, rows),
            media_type="application/json",
            headers=_attachment(f"classification-{version}.json"),
        )
    return Response(service.items_csv(rows), media_type=CSV, headers=_attachment(f"classification-{version}.csv"))


@get("/changes", opt=public("classification.changes"))
async def changes(
    request: Request,
    uow: UnitOfWork,
    from_version: FromVersion = DEFAULT_FROM,
    to_version: ToVersion = DEFAULT_TO,
    kind: ChangeKind | None = None,
    level: Level = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> ChangesPage:
    """What a revision changed: counts per change kind per level, and the rows (filtered by kind and level)."""
    summary = await service.change_summary(uow, from_version, to_version)
    total, rows = await service.change_list(
        uow, from_version, to_version, kinds=[kind] if kind else None, level=level, limit=limit, offset=offset
    )
    set_units(request, len(rows))
    return ChangesPage(**msgspec.structs.asdict(summary), total=total, offset=offset, items=rows)


@get("/changes/download", opt=public("classification.download"), media_type=CSV)
async def download_changes(
    request: Request, uow: UnitOfWork, from_version: FromVersion = DEFAULT_FROM, to_version: ToVersion = DEFAULT_TO
) -> Response:
    """The whole computed correspondence (新旧対応) as CSV, UTF-8 with BOM."""
    _, rows = await service.change_list(uow, from_version, to_version, limit=None)
    set_units(request, len(rows))
    return Response(
        service.changes_csv(rows),
        media_type=CSV,
        headers=_attachment(f"classification-{from_version}-to-{to_version}.csv"),
    )


@post("/reload", opt=access(Role.OPERATOR, op="classification.maintain", audit=True), status_code=202)
async def reload(principal: Principal, uow: UnitOfWork) -> Enqueued:
    """Reload the shipped classifications in the background (the worker runs job classification.load).
    `uow` carries the call audit (audit=True): it opens before the enqueue, so a database that is
    down answers 503 before any job is queued."""
    job_id = await RELOAD.enqueue(requested_by=principal.subject)
    return Enqueued(job=RELOAD.job.name, job_id=job_id)


api = Router(
    path="/api/classification",
    route_handlers=[list_versions, get_version, get_item, search, download_version, changes, download_changes, reload],
    tags=["classification / 統計分類"],
)

"""API of the users' own GIS data under /api/gis: allocation (public), saved areas and uploaded points
(an agency's users and API keys; metered, changes audited)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Request, Response, Router, delete, get, post

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access, public
from govstat.platform.security import Role
from govstat.platform.subsystems.gis.allocation import Allocation
from govstat.platform.subsystems.gis.own import service
from govstat.platform.subsystems.gis.own.export import export_zip
from govstat.platform.subsystems.gis.own.schemas import Aggregation, AllocateIn, AreaIn, AreaRow, DatasetRow
from govstat.platform.web.deps import set_units

USERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
MAX_FILE = 20 * 1024 * 1024


@post("/allocate", opt=public("gis.allocate", csrf=False, app_id=True), status_code=200)
async def allocate(request: Request[Any, Any, Any], uow: UnitOfWork, data: AllocateIn) -> Allocation:
    """面積按分: estimate a published table's cell for a polygon, a saved area or a buffer around a point
    from the boundaries it overlaps; lists each contributing area, its share and the assumption."""
    result = await service.allocate(uow, data)
    set_units(request, len(result.parts))
    return result


@post("/areas", opt=access(*USERS, op="gis.areas", audit=True))
async def save_area(uow: UnitOfWork, data: AreaIn) -> AreaRow:
    """Save a drawn area (GeoJSON Polygon or MultiPolygon, lon/lat) in the caller's tenant."""
    return await service.save_area(uow, data)


@get("/areas", opt=access(*USERS, op="gis.areas"))
async def list_areas(uow: UnitOfWork) -> list[AreaRow]:
    return await service.areas(uow)


@get("/areas/{area_id:uuid}", opt=access(*USERS, op="gis.areas"), media_type="application/geo+json")
async def area_geojson(uow: UnitOfWork, area_id: uuid.UUID) -> Response[str]:
    """The saved area's geometry as GeoJSON."""
    return Response(await service.area_geojson(uow, area_id), media_type="application/geo+json")


@delete("/areas/{area_id:uuid}", opt=access(*USERS, op="gis.areas", audit=True), status_code=204)
async def delete_area(uow: UnitOfWork, area_id: uuid.UUID) -> None:
    await service.delete_area(uow, area_id)


@post("/datasets", opt=access(*USERS, op="gis.upload", audit=True), request_max_body_size=MAX_FILE)
async def upload(request: Request[Any, Any, Any], uow: UnitOfWork) -> DatasetRow:
    """Upload points: multipart `file` (CSV with latitude/longitude columns and an optional weight/value
    column, or GeoJSON Points) and `name`. Errors name each bad line and field."""
    form = await request.form()
    file, name = form.get("file"), form.get("name")
    if file is None or isinstance(file, str):
        raise InvalidInput.field("file", "ファイルを添付してください / attach a file")
    data = await file.read()
    set_units(request, 1)
    return await service.upload(uow, (str(name or file.filename or "地点"))[:200], file.filename or "", data)


@get("/datasets", opt=access(*USERS, op="gis.upload"))
async def list_datasets(uow: UnitOfWork) -> list[DatasetRow]:
    return await service.datasets(uow)


@delete("/datasets/{dataset_id:uuid}", opt=access(*USERS, op="gis.upload", audit=True), status_code=204)
async def delete_dataset(uow: UnitOfWork, dataset_id: uuid.UUID) -> None:
    await service.delete_dataset(uow, dataset_id)


By = Literal["municipality", "prefecture", "mesh1", "mesh2", "mesh3", "mesh4", "area"]


@get("/datasets/{dataset_id:uuid}/aggregate", opt=access(*USERS, op="gis.aggregate"))
async def aggregate(
    request: Request[Any, Any, Any], uow: UnitOfWork, dataset_id: uuid.UUID, by: By = "municipality"
) -> Aggregation:
    """Points counted and summed into municipalities, prefectures, meshes (mesh1: 1st .. mesh4: 500 m)
    or the tenant's saved areas."""
    result = await service.aggregate(uow, dataset_id, by)
    set_units(request, len(result.groups))
    return result


@get("/export", opt=access(*USERS, op="gis.export", audit=True))
async def export(request: Request[Any, Any, Any], uow: UnitOfWork) -> Response[bytes]:
    """Everything the tenant made in the GIS: saved areas (GeoJSON) and uploaded points (CSV), zipped."""
    body, n = await export_zip(uow)
    set_units(request, n)
    return Response(
        body,
        status_code=200,
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="gis-export.zip"'},
    )


router = Router(
    path="/api/gis",
    route_handlers=[
        allocate,
        save_area,
        list_areas,
        area_geojson,
        delete_area,
        upload,
        list_datasets,
        delete_dataset,
        aggregate,
        export,
    ],
)

"""Use cases of the users' own GIS data: each one request's transaction in the caller's tenant scope
(row-level security keeps every area and point inside its tenant; another tenant's id answers 404)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.events.audit import emit
from govstat.platform.subsystems.gis import allocation, choropleth, mesh, targets
from govstat.platform.subsystems.gis.own import points
from govstat.platform.subsystems.gis.own.events import AreaDeleted, AreaSaved, DatasetDeleted, PointsUploaded
from govstat.platform.subsystems.gis.own.schemas import Aggregation, AllocateIn, AreaIn, AreaRow, DatasetRow, Group
from govstat.platform.subsystems.gis.published import VINTAGE


def _tenant(uow: UnitOfWork) -> uuid.UUID:
    if uow.scope.tenant_id is None:
        raise InvalidInput.field("tenant", "利用機関の利用者として操作してください / sign in as an agency's user")
    return uow.scope.tenant_id


async def allocate(uow: UnitOfWork, body: AllocateIn) -> allocation.Allocation:
    given = [k for k in ("geometry", "area_id", "point") if getattr(body, k) is not None]
    if len(given) != 1:
        raise InvalidInput.field(
            "geometry", "geometry・area_id・point のどれか1つを指定してください / exactly one target"
        )
    choice = await choropleth.choose(uow, body.table, body.picks)
    if body.geometry is not None:
        target, km2 = await targets.from_wkt(uow, targets.polygon(body.geometry))
    elif body.area_id is not None:
        target, km2 = await targets.from_area(uow, body.area_id)
    else:
        assert body.point is not None
        target, km2 = await targets.buffer(uow, body.point.lat, body.point.lon, body.point.radius_m)
    found = await allocation.overlaps(uow, target, body.level)
    return allocation.combine(choice, body.level, km2, found, await choropleth.values(uow, choice))


AREA_COLS = "id, name, area_km2, created_by, created_at"


async def save_area(uow: UnitOfWork, data: AreaIn) -> AreaRow:
    tenant = _tenant(uow)
    wkt = targets.polygon(data.geometry)
    area_id = uuid.uuid4()
    row = await uow.one(
        AreaRow,
        f"""INSERT INTO gis_area (id, tenant_id, name, geom, geom_ea, area_km2, created_by)
        SELECT $1, $2, $3, g, ST_Transform(g, 6933), ST_Area(ST_Transform(g, 6933)) / 1e6, $5
        FROM (SELECT ST_Multi(ST_CollectionExtract(ST_SetSRID(ST_GeomFromText($4), 4326), 3)) AS g) t
        RETURNING {AREA_COLS}""",
        area_id,
        tenant,
        data.name,
        wkt,
        uow.scope.actor,
    )
    await emit(uow, AreaSaved(area_id=area_id, name=data.name, area_km2=row.area_km2), tenant_id=tenant)
    return row


async def areas(uow: UnitOfWork) -> list[AreaRow]:
    w = Where().scoped(uow)
    return await uow.rows(AreaRow, f"SELECT {AREA_COLS} FROM gis_area WHERE {w} ORDER BY created_at DESC", *w.args)


async def area_geojson(uow: UnitOfWork, area_id: uuid.UUID) -> str:
    found: str | None = await uow.fetchval("SELECT ST_AsGeoJSON(geom, 9) FROM gis_area WHERE id = $1", area_id)
    if found is None:
        raise NotFound(f"範囲 {area_id} は見つかりません / area not found")
    return found


async def delete_area(uow: UnitOfWork, area_id: uuid.UUID) -> None:
    if await uow.execute("DELETE FROM gis_area WHERE id = $1", area_id) == "DELETE 0":
        raise NotFound(f"範囲 {area_id} は見つかりません / area not found")
    await emit(uow, AreaDeleted(area_id=area_id), tenant_id=uow.scope.tenant_id)


DATASET_COLS = "id, name, source_name, fields, points, created_by, created_at"


async def upload(uow: UnitOfWork, name: str, filename: str, data: bytes) -> DatasetRow:
    tenant = _tenant(uow)
    is_json = filename.lower().endswith((".geojson", ".json")) or data.lstrip()[:1] == b"{"
    parsed = points.read_geojson(data) if is_json else points.read_csv(data)
    dataset_id = uuid.uuid4()
    row = await uow.one(
        DatasetRow,
        f"""INSERT INTO gis_dataset (id, tenant_id, name, source_name, fields, points, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {DATASET_COLS}""",
        dataset_id,
        tenant,
        name,
        filename[:200],
        parsed.fields,
        len(parsed.lines),
        uow.scope.actor,
    )
    await uow.execute(
        """INSERT INTO gis_point (dataset_id, tenant_id, line, geom, weight, attrs)
        SELECT $1, $2, line, ST_SetSRID(ST_MakePoint(lon, lat), 4326), w, a::jsonb
        FROM unnest($3::int[], $4::float8[], $5::float8[], $6::float8[], $7::text[]) AS u(line, lat, lon, w, a)""",
        dataset_id,
        tenant,
        parsed.lines,
        parsed.lats,
        parsed.lons,
        parsed.weights,
        parsed.attrs,
    )
    await emit(uow, PointsUploaded(dataset_id=dataset_id, name=name, points=len(parsed.lines)), tenant_id=tenant)
    return row


async def datasets(uow: UnitOfWork) -> list[DatasetRow]:
    w = Where().scoped(uow)
    return await uow.rows(
        DatasetRow, f"SELECT {DATASET_COLS} FROM gis_dataset WHERE {w} ORDER BY created_at DESC", *w.args
    )


async def delete_dataset(uow: UnitOfWork, dataset_id: uuid.UUID) -> None:
    if await uow.execute("DELETE FROM gis_dataset WHERE id = $1", dataset_id) == "DELETE 0":
        raise NotFound(f"地点データ {dataset_id} は見つかりません / dataset not found")
    await emit(uow, DatasetDeleted(dataset_id=dataset_id), tenant_id=uow.scope.tenant_id)


async def aggregate(uow: UnitOfWork, dataset_id: uuid.UUID, by: str) -> Aggregation:
    """Points counted and their weights summed by municipality, prefecture, mesh (mesh1..mesh4) or the
    tenant's saved areas (a point in two overlapping areas counts in both)."""
    total = await uow.fetchval("SELECT points FROM gis_dataset WHERE id = $1", dataset_id)
    if total is None:
        raise NotFound(f"地点データ {dataset_id} は見つかりません / dataset not found")
    if by.startswith("mesh"):
        rows = await uow.fetch(
            "SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon, weight FROM gis_point WHERE dataset_id = $1", dataset_id
        )
        counts: Counter[str] = Counter()
        sums: dict[str, float] = defaultdict(float)
        level = int(by[4:])
        for r in rows:
            try:
                code = mesh.code_of(r["lat"], r["lon"], level)
            except mesh.MeshError:
                continue
            counts[code] += 1
            sums[code] += r["weight"]
        groups = [
            Group(code=c, name=mesh.LEVEL_NAMES[level], points=n, total=sums[c]) for c, n in sorted(counts.items())
        ]
    elif by == "area":
        groups = await uow.rows(
            Group,
            """SELECT a.id::text AS code, a.name, count(*)::int AS points, sum(p.weight) AS total
            FROM gis_point p JOIN gis_area a ON ST_Covers(a.geom, p.geom)
            WHERE p.dataset_id = $1 GROUP BY a.id, a.name ORDER BY a.name""",
            dataset_id,
        )
    else:
        groups = await uow.rows(
            Group,
            """SELECT b.code, b.name, count(*)::int AS points, sum(p.weight) AS total
            FROM gis_point p JOIN gis_boundary b ON b.level = $2 AND b.vintage = $3 AND ST_Covers(b.geom, p.geom)
            WHERE p.dataset_id = $1 GROUP BY b.code, b.name ORDER BY b.code""",
            dataset_id,
            by,
            VINTAGE,
        )
    inside = sum(g.points for g in groups) if by != "area" else await _in_any_area(uow, dataset_id)
    return Aggregation(dataset_id=dataset_id, by=by, groups=groups, outside=int(total) - inside)


async def _in_any_area(uow: UnitOfWork, dataset_id: uuid.UUID) -> int:
    n: int = await uow.fetchval(
        "SELECT count(*) FROM gis_point p WHERE p.dataset_id = $1"
        " AND EXISTS (SELECT 1 FROM gis_area a WHERE ST_Covers(a.geom, p.geom))",
        dataset_id,
    )
    return n

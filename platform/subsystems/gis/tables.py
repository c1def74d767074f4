"""Tables of the statistical GIS. Boundaries are shared reference data (everyone reads, only the
operator loads); the users' own points and areas are tenant rows (row-level security)."""

from typing import Any

from piccolo.columns import (
    JSONB,
    UUID,
    Array,
    BigSerial,
    Char,
    Date,
    DoublePrecision,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import Column
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class Geometry(Column):
    """A PostGIS geometry column (written and read as SQL, never through Piccolo's values)."""

    value_type = str

    def __init__(self, kind: str = "MultiPolygon", srid: int = 4326, **kwargs: Any) -> None:
        self.kind, self.srid = kind, srid
        super().__init__(**kwargs)

    @property
    def column_type(self) -> str:
        return f"geometry({self.kind}, {self.srid})"


class GisBoundary(Table, tablename="gis_boundary"):
    # one administrative area's boundary (国土数値情報 N03) at one vintage
    id = BigSerial(primary_key=True)
    level = Varchar(length=16)  # prefecture | municipality
    code = Char(length=5)  # standard area code (designated cities dissolved: 04100)
    pref_code = Char(length=2)
    name = Text()
    vintage = Date()
    source = Varchar(length=80)
    geom = Geometry(srid=4326)
    geom_ea = Geometry(srid=6933)  # equal-area (EASE-Grid 2.0) for areas and allocation
    geom_wm = Geometry(srid=3857)  # Web Mercator for tiles
    area_km2 = DoublePrecision()
    loaded_at = Timestamptz()


class GisArea(Table, tablename="gis_area"):
    # an area a user drew or uploaded (tenant row)
    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Text()
    geom = Geometry(srid=4326)
    geom_ea = Geometry(srid=6933)
    area_km2 = DoublePrecision()
    created_by = Text()
    created_at = Timestamptz()


class GisDataset(Table, tablename="gis_dataset"):
    # an uploaded file of points (CSV with latitude/longitude or GeoJSON), tenant row
    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Text()
    source_name = Text()
    fields = Array(Text())
    points = Integer()
    created_by = Text()
    created_at = Timestamptz()


class GisPoint(Table, tablename="gis_point"):
    id = BigSerial(primary_key=True)
    dataset_id = UUID()
    tenant_id = UUID()
    line = Integer()  # the line (CSV) or feature number (GeoJSON) it came from
    geom = Geometry(kind="Point", srid=4326)
    weight = DoublePrecision()  # the value summed by aggregation (1 when the file has none)
    attrs = JSONB()


ALL = [GisBoundary, GisArea, GisDataset, GisPoint]

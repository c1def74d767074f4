"""The own-data API's msgspec Structs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Code = Annotated[str, msgspec.Meta(max_length=40)]


class PointIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    lat: Annotated[float, msgspec.Meta(ge=20, le=47)]
    lon: Annotated[float, msgspec.Meta(ge=120, le=155)]
    radius_m: Annotated[float, msgspec.Meta(gt=0, le=50_000)] = 1000


class AllocateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One target: `geometry` (GeoJSON Polygon/MultiPolygon, lon/lat), `area_id` (a saved area) or
    `point` (a buffer). `picks`: one item code per dimension but area (default: each one's first)."""

    table: Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z_]{1,20}$")]
    level: Literal["municipality", "prefecture"] = "municipality"
    picks: dict[Annotated[str, msgspec.Meta(pattern=r"^(tab|time|cat[0-9]{2})$")], Code] = {}
    geometry: dict[str, Any] | None = None
    area_id: uuid.UUID | None = None
    point: PointIn | None = None


class AreaIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    geometry: dict[str, Any]


class AreaRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    area_km2: float
    created_by: str
    created_at: dt.datetime


class DatasetRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    source_name: str
    fields: list[str]
    points: int
    created_by: str
    created_at: dt.datetime


class Group(msgspec.Struct, kw_only=True):
    code: str  # area code, mesh code or the saved area's id
    name: str
    points: int
    total: float  # sum of the points' weights


class Aggregation(msgspec.Struct, kw_only=True):
    dataset_id: uuid.UUID
    by: str
    groups: list[Group]
    outside: int  # points in none of the groups

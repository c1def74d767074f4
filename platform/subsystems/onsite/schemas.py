"""The on-site API's input Structs (unknown fields refused: forbid_unknown_fields)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a dataset's file
Name = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class Variable(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    label: Short = ""
    kind: Literal["category", "number"] = "category"
    codes: Annotated[list[Code], msgspec.Meta(max_length=2000)] = []  # allowed codes of a category (empty: any)


class DatasetIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    survey_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    gov_stat_code: Annotated[str, msgspec.Meta(pattern=r"^([0-9]{8})?$")] = ""
    year: Annotated[int, msgspec.Meta(ge=1900, le=2100)]
    unit_kind: Literal["person", "household", "establishment"] = "person"
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    variables: Annotated[list[Variable], msgspec.Meta(min_length=1, max_length=200)]
    threshold: Annotated[int, msgspec.Meta(ge=3, le=1000)] = 10
    dominance_k: Annotated[int, msgspec.Meta(ge=1, le=5)] = 2
    dominance_p: Annotated[float, msgspec.Meta(gt=50, le=100)] = 85.0
    protection_pct: Annotated[float, msgspec.Meta(gt=0, le=100)] = 20.0
    retention_until: dt.date


class FacilityIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    address: Short = ""
    ranges: Annotated[list[Annotated[str, msgspec.Meta(max_length=64)]], msgspec.Meta(min_length=1, max_length=20)]


class DeviceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    label: Short = ""


class GrantIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    purpose: Annotated[str, msgspec.Meta(min_length=10, max_length=4000)]
    dataset_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=10)]
    variables: Annotated[list[Name], msgspec.Meta(min_length=1, max_length=200)]
    facility_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=10)]
    starts_on: dt.date
    ends_on: dt.date


class DecisionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    approve: bool
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    expires_at: dt.datetime | None = None  # earlier than the end of the requested term, if given


class VisitIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    grant_id: uuid.UUID


Scalar = str | float


class Filter(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    variable: Name
    op: Literal["eq", "ne", "in", "ge", "le"] = "eq"
    value: Scalar | Annotated[list[Scalar], msgspec.Meta(min_length=1, max_length=200)]


class TableIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One aggregate: a statistic of a variable (count needs none), by up to three categories."""

    dataset_id: uuid.UUID
    statistic: Literal["count", "sum", "mean", "quantile"] = "count"
    variable: Name | None = None
    quantile: Annotated[float, msgspec.Meta(gt=0, lt=1)] = 0.5
    group_by: Annotated[list[Name], msgspec.Meta(max_length=3)] = []
    filters: Annotated[list[Filter], msgspec.Meta(max_length=10)] = []


class ReviewRequestIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=5, max_length=2000)]


class ReviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    release: bool
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""

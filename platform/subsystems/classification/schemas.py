"""Shapes of the classification API: query parameters and the downloaded item (msgspec)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar.params import Parameter, QueryParameter

ChangeKind = Literal["unchanged", "renamed", "moved", "removed", "added"]
Format = Literal["csv", "json"]

# Query parameters: a malformed value is a 400 problem naming the parameter.
VERSION_PATTERN = r"^[a-z]{2,16}-[0-9]{1,4}$"
Words = Annotated[
    str | None, Parameter(max_length=100, description="words (Japanese substring or English), all must match")
]
CodePrefix = Annotated[
    str | None, Parameter(pattern=r"^[A-Za-z0-9]{1,4}$", description="code or code prefix, e.g. 39 or 391 or G")
]
ClassificationKey = Annotated[str | None, Parameter(pattern=r"^[a-z]{2,16}$", description="jsic or jsoc")]
VersionKey = Annotated[str | None, Parameter(pattern=VERSION_PATTERN, description="e.g. jsic-14")]
Level = Annotated[int | None, Parameter(ge=1, le=4, description="1 大分類, 2 中分類, 3 小分類, 4 細分類")]
Limit = Annotated[int, Parameter(ge=1, le=1000)]
Offset = Annotated[int, Parameter(ge=0, le=100_000)]
# `from` and `to` are checked by service.version_param (Litestar would name a bad value by the
# Python argument, from_version, not by the query parameter the caller sent).
FromVersion = Annotated[str, QueryParameter(name="from", description="older version, e.g. jsic-13")]
ToVersion = Annotated[str, QueryParameter(name="to", description="newer version, e.g. jsic-14")]


class ItemOut(msgspec.Struct, kw_only=True):
    """One item as downloaded (JSON)."""

    code: str
    level: int
    level_name: str
    name_ja: str
    name_en: str
    description: str
    parent_code: str | None
    path_codes: list[str]
    path_names: list[str]

"""Paging query parameters shared by the list routes. Bounded above, so a number larger than the
database's integers is refused as bad input naming the parameter (400), not a 500 from the driver."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import Parameter

T = TypeVar("T")

# Far beyond any list the platform holds; well inside PostgreSQL's integer and bigint.
MAX_POSITION = 1_000_000_000

Offset = Annotated[int, Parameter(ge=0, le=MAX_POSITION, description="rows to skip")]
Start = Annotated[int, Parameter(ge=1, le=MAX_POSITION, description="first row, from 1")]
Page = Annotated[int, Parameter(ge=1, le=MAX_POSITION, description="page number, from 1")]


class Listing(msgspec.Struct, Generic[T], kw_only=True):
    """A page of a list answer: the matching total, where the page starts, and its rows."""

    total: int
    offset: int
    items: list[T]

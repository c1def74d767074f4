"""SDMX data queries: the series key (dot-separated, `+` for OR, empty for all) and the time range,
as statdb narrowings."""

from __future__ import annotations

import datetime as dt

import msgspec

from govstat.platform.subsystems.estat.sdmx import periods
from govstat.platform.subsystems.estat.sdmx.errors import SdmxError
from govstat.platform.subsystems.estat.sdmx.flows import Flow

MAX_CODES = 1000


class Narrowing(msgspec.Struct):
    """One dimension's codes (statdb.published.Narrowing)."""

    obj_id: str
    codes: list[str]
    code_from: str | None = None
    code_to: str | None = None
    level: str | None = None

    def level_range(self) -> tuple[int | None, int | None]:
        return None, None


def narrowing(flow: Flow, key: str | None) -> list[Narrowing]:
    """The key's conditions: one part per dimension of the series key, in the DSD's order."""
    if key is None or key in ("", "all", "*"):
        return []
    parts = key.split(".")
    if len(parts) != len(flow.dims):
        raise SdmxError(
            400,
            f"the key has {len(parts)} parts; {flow.id} has {len(flow.dims)} dimensions: {'.'.join(d.id for d in flow.dims)}",
        )
    out = []
    for d, part in zip(flow.dims, parts, strict=True):
        if part in ("", "*"):
            continue
        codes = [c for c in part.split("+") if c]
        if len(codes) > MAX_CODES:
            raise SdmxError(400, f"at most {MAX_CODES} codes per dimension ({d.id})")
        out.append(Narrowing(d.obj_id, codes))
    return out


def bound(value: str | None, name: str) -> tuple[dt.date, dt.date] | None:
    if not value:
        return None
    s = periods.span(value)
    if s is None:
        raise SdmxError(400, f"{name}={value[:40]} is not an SDMX period (2020, 2020-03, 2020-Q1, 2020-S1, 2020-03-31)")
    return s


def time_narrowing(start: tuple[dt.date, dt.date] | None, end: tuple[dt.date, dt.date] | None) -> list[Narrowing]:
    """A coarse condition on e-Stat's time codes (they begin with the year; a fiscal year may reach
    into the next calendar year); periods.within decides each cell."""
    if start is None and end is None:
        return []
    low = f"{start[0].year - 1:04d}" if start else None
    high = f"{end[1].year:04d}999999" if end else None
    return [Narrowing("time", [], low, high)]

"""Reads of the reception read model: units per area joined with the counts the consumer keeps."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published as area


class AreaCount(msgspec.Struct, kw_only=True):
    area_code: str
    area_name: str = ""
    units: int
    received: int
    updates: int
    web: int
    paper: int
    rate: float = 0.0


class Reception(msgspec.Struct, kw_only=True):
    survey_id: uuid.UUID
    units: int
    received: int
    rate: float
    last_at: dt.datetime | None
    areas: list[AreaCount]


async def by_area(uow: UnitOfWork, survey_id: uuid.UUID) -> Reception:
    """Units per area (the survey's list) and what the read model has counted."""
    rows = await uow.rows(
        AreaCount,
        "WITH u AS (SELECT area_code, count(*) AS units FROM online_unit WHERE survey_id = $1 GROUP BY 1),"
        " r AS (SELECT area_code, sum(first_submissions) AS received, sum(updates) AS updates,"
        " sum(first_submissions) FILTER (WHERE channel IN ('web', 'bulk', 'api')) AS web,"
        " sum(first_submissions) FILTER (WHERE channel = 'paper') AS paper"
        " FROM online_reception WHERE survey_id = $1 GROUP BY 1)"
        " SELECT u.area_code, u.units, coalesce(r.received, 0) AS received, coalesce(r.updates, 0) AS updates,"
        " coalesce(r.web, 0) AS web, coalesce(r.paper, 0) AS paper FROM u LEFT JOIN r USING (area_code)"
        " ORDER BY u.area_code",
        survey_id,
    )
    names = await area.valid_on(uow, dt.date.today())
    for r in rows:
        r.area_name = names[r.area_code].name if r.area_code in names else ""
        r.rate = round(100 * r.received / r.units, 1) if r.units else 0.0
    last = await uow.fetchval("SELECT max(last_at) FROM online_reception WHERE survey_id = $1", survey_id)
    units, received = sum(r.units for r in rows), sum(r.received for r in rows)
    return Reception(
        survey_id=survey_id,
        units=units,
        received=received,
        rate=round(100 * received / units, 1) if units else 0.0,
        last_at=last,
        areas=rows,
    )

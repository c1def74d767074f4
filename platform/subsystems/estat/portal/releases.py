"""ESTAT-3: the release calendar (公表予定) and new arrivals (新着).

An announcement must be public before the data is: the data stays behind row-level security until
publish_at (statdb and tables), so the calendar cannot read it from there. It reads `estat_release`,
a public read model that the `estat-releases` consumer keeps from the domain topic: statdb's
TableScheduled, TablePublished and TableDeleted, tables' FileScheduled and FilePublished
(their events.py).

The events carry ids, not titles (the schedule events) — so the consumer, in the platform scope,
reads the row the event names and copies what the calendar shows: title, statistic, agency, the
announced time and the status. It always copies the row's *current* state, so a redelivered or
late event can only bring the read model up to date, never back. A database table handed over
from a table file is one publication: it shares the file's row. When a publication comes out,
the subscribers of its statistic get their e-mails (portal/notify.py).

New arrivals need no read model: what is published and due is public in the source tables.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import msgspec

from govstat.platform import directory
from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope
from govstat.platform.subsystems.estat.portal import notify, revisions
from govstat.platform.subsystems.estat.portal.common import JST
from govstat.platform.subsystems.estat.portal.rows import Announced, Release, SearchItem
from govstat.platform.subsystems.estat.portal.search import COLUMNS, SOURCE
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.events import (
    TableDeleted,
    TablePublished,
    TableRevised,
    TableScheduled,
    TableWithdrawn,
)
from govstat.platform.subsystems.tables import published as files
from govstat.platform.subsystems.tables.events import FilePublished, FileReplaced, FileScheduled, FileWithdrawn

log = logging.getLogger("govstat.estat.releases")

UPSERT = """
INSERT INTO estat_release (release_key, tenant_id, kind, stats_data_id, file_id, gov_stat_code, stat_name, agency_code,
                           agency_name, title, table_no, survey_date, publish_at, status, published_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
ON CONFLICT (release_key) DO UPDATE SET
  stats_data_id = coalesce(excluded.stats_data_id, estat_release.stats_data_id), file_id = excluded.file_id,
  gov_stat_code = excluded.gov_stat_code, stat_name = excluded.stat_name, agency_code = excluded.agency_code,
  agency_name = excluded.agency_name, title = excluded.title, table_no = excluded.table_no,
  survey_date = excluded.survey_date, publish_at = excluded.publish_at, status = excluded.status,
  published_at = excluded.published_at, updated_at = now()
RETURNING (xmax = 0) AS inserted
"""


class ReleaseConsumer(Consumer):
    name = "estat-releases"
    topic_suffixes = ("domain",)

    async def handle(self, uow: UnitOfWork, event: Envelope) -> None:
        match event.payload:
            case TableScheduled(stats_data_id=sid) | TablePublished(stats_data_id=sid) if sid:
                await refresh_table(uow, sid)
            case FileScheduled(file_id=file_id):
                await refresh_file(uow, file_id)
            case FilePublished(file_id=file_id, stats_data_id=sid):
                await refresh_file(uow, file_id, sid)
            case TableDeleted(stats_data_id=sid) if sid:
                await withdraw(uow, f"db:{sid}")
            case TableRevised(stats_data_id=sid, version=v, change=kind, reason=reason, revised_at=at):
                await revisions.on_revised(uow, sid, v, kind, reason, at)
            case TableWithdrawn(stats_data_id=sid):
                await revisions.on_withdrawn(uow, sid)
            case FileReplaced(file_id=file_id, version=v, reason=reason, replaced_at=at):
                await revisions.on_file_replaced(uow, file_id, v, reason, at)
            case FileWithdrawn(file_id=file_id):
                await revisions.on_file_withdrawn(uow, file_id)


async def _named(uow: UnitOfWork, ref: statdb.TableRef | files.FileRef) -> Announced | None:
    """What the calendar copies of a table or file: the row (its owner's interface) and its
    statistic's and agency's names (tenants' directory)."""
    g = await directory.statistic(uow, ref.gov_stat_code)
    if g is None:
        return None
    names = {"stat_name": g.name_ja, "agency_code": g.agency_code, "agency_name": g.agency_name}
    return msgspec.convert({**msgspec.structs.asdict(ref), **names}, Announced)


async def refresh_table(uow: UnitOfWork, stats_data_id: str) -> None:
    ref = await statdb.table_ref(uow, stats_data_id)
    t = None if ref is None else await _named(uow, ref)
    if ref is None or t is None:
        await withdraw(uow, f"db:{stats_data_id}")
        return
    if ref.source_file_id is not None:  # one publication with its table file
        await refresh_file(uow, ref.source_file_id, stats_data_id)
        return
    if ref.status == "registered" or ref.publish_at is None:
        await withdraw(uow, f"db:{stats_data_id}")  # unscheduled again: nothing is announced
        return
    await _store(uow, f"db:{stats_data_id}", t, kind="db", stats_data_id=stats_data_id, file_id=None)


async def refresh_file(uow: UnitOfWork, file_id: uuid.UUID, stats_data_id: Any = None) -> None:
    ref = await files.file_ref(uow, file_id)
    f = None if ref is None else await _named(uow, ref)
    key = f"file:{file_id}"
    if ref is None or f is None or ref.status not in ("scheduled", "published") or ref.publish_at is None:
        await withdraw(uow, key)
        return
    if stats_data_id is None:
        stats_data_id = await statdb.handed_over(uow, file_id)
    await _store(uow, key, f, kind="file", stats_data_id=stats_data_id, file_id=file_id)


async def _store(
    uow: UnitOfWork, key: str, row: Announced, *, kind: str, stats_data_id: Any, file_id: uuid.UUID | None
) -> None:
    published = row.status == "published"
    before = await uow.fetchval("SELECT status FROM estat_release WHERE release_key = $1 FOR UPDATE", key)
    await uow.fetchval(
        UPSERT,
        key,
        row.tenant_id,
        kind,
        stats_data_id,
        file_id,
        row.gov_stat_code,
        row.stat_name,
        row.agency_code,
        row.agency_name,
        row.title,
        row.table_no or "",
        row.survey_date or "",
        row.publish_at,
        "published" if published else "scheduled",
        (row.published_at or row.publish_at) if published else None,
    )
    if published and before != "published":
        await notify.on_published(uow, key, row.gov_stat_code, row.published_at or row.publish_at)


async def withdraw(uow: UnitOfWork, key: str) -> None:
    await uow.execute(
        "UPDATE estat_release SET status = 'withdrawn', updated_at = now()"
        " WHERE release_key = $1 AND status = 'scheduled'",
        key,
    )


# --- reading ------------------------------------------------------------------------------------


def month_bounds(month: str | None) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """'2026-12' -> (first day, start, end) in JST; the current month when absent or invalid."""
    today = dt.datetime.now(JST).date()
    try:
        year, mon = (int(x) for x in (month or "").split("-"))
        first = dt.date(year, mon, 1)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), JST)
    end = dt.datetime.combine(nxt, dt.time(), JST)
    return first, start, end


RELEASE = f"SELECT {columns(Release)} FROM estat_release"


async def calendar(
    uow: UnitOfWork, start: dt.datetime, end: dt.datetime, *, gov_stat_code: str = "", agency: str = ""
) -> list[Release]:
    w = Where().add("publish_at >= {} AND publish_at < {}", start, end).add("status <> 'withdrawn'")
    w.eq("gov_stat_code", gov_stat_code).eq("agency_code", agency)
    return await uow.rows(Release, f"{RELEASE} WHERE {w} ORDER BY publish_at, title", *w.args)


async def upcoming(uow: UnitOfWork, *, gov_stat_code: str = "", limit: int = 10) -> list[Release]:
    w = Where().add("status = 'scheduled' AND publish_at > now()").eq("gov_stat_code", gov_stat_code)
    return await uow.rows(Release, f"{RELEASE} WHERE {w} ORDER BY publish_at LIMIT {int(limit)}", *w.args)


async def new_arrivals(
    uow: UnitOfWork, *, days: int = 30, limit: int = 20, offset: int = 0
) -> tuple[int, list[SearchItem]]:
    cond = f"t.publish_at > now() - make_interval(days => {int(days)})"
    total = await uow.fetchval(f"SELECT count(*) FROM {SOURCE} WHERE {cond}")
    rows = await uow.rows(
        SearchItem,
        f"SELECT {COLUMNS} FROM {SOURCE} WHERE {cond} ORDER BY t.publish_at DESC, t.title"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
    )
    return total, rows


def weeks(first: dt.date, entries: list[Release]) -> list[list[dict[str, Any]]]:
    """The month as weeks (Monday first) of days, each with its entries and national holiday (祝日)."""
    import holidays

    names = holidays.Japan(years=range(first.year - 1, first.year + 2), language="ja")
    by_day: dict[dt.date, list[Release]] = {}
    for e in entries:
        by_day.setdefault(e.publish_at.astimezone(JST).date(), []).append(e)
    day = first - dt.timedelta(days=first.weekday())
    out = []
    while True:
        week = []
        for _ in range(7):
            week.append(
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "entries": by_day.get(day, []),
                    "holiday": names.get(day, ""),
                }
            )
            day += dt.timedelta(days=1)
        out.append(week)
        if day.month != first.month and day > first:
            break
    return out

"""Notices of corrections (訂正) and extensions (追加) of published tables (issue 14 §2).

The releases consumer hands statdb's TableRevised here: the revision becomes a publication of its
own in the release read model ("db:<statsDataId>:v<version>", titled 【訂正】 or 【追加】, published at
the revision's time), and the subscribers of its statistic get one e-mail each through the same
deliveries as a new table (portal/notify.py). A replayed event finds the row and sends nothing again.
A withdrawal (TableWithdrawn) marks the table's release withdrawn."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.portal import notify
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.tables import published as files

LABEL = {"correction": "訂正", "extension": "追加", "replacement": "差替え"}

INSERT = """
INSERT INTO estat_release (release_key, tenant_id, kind, stats_data_id, file_id, gov_stat_code, stat_name, agency_code,
                           agency_name, title, table_no, survey_date, publish_at, status, published_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'published', $13, now())
ON CONFLICT (release_key) DO NOTHING RETURNING release_key
"""


def is_revision(release_key: str) -> bool:
    return ":v" in release_key


async def on_revised(
    uow: UnitOfWork, stats_data_id: str, version: int, kind: str, reason: str, at: dt.datetime
) -> list[str]:
    """Record the revision as a release and notify the statistic's subscribers; the owners notified."""
    ref = await statdb.table_ref(uow, stats_data_id)
    if ref is None:
        return []
    return await _announce(uow, ref, f"db:{stats_data_id}:v{int(version)}", kind, version, reason, at, stats_data_id)


async def on_file_replaced(
    uow: UnitOfWork, file_id: uuid.UUID, version: int, reason: str, at: dt.datetime
) -> list[str]:
    ref = await files.file_ref(uow, file_id)
    if ref is None:
        return []
    return await _announce(
        uow, ref, f"file:{file_id}:v{int(version)}", "replacement", version, reason, at, None, file_id
    )


async def on_file_withdrawn(uow: UnitOfWork, file_id: uuid.UUID) -> None:
    await uow.execute(
        "UPDATE estat_release SET status = 'withdrawn', updated_at = now() WHERE release_key = $1", f"file:{file_id}"
    )


async def _announce(
    uow: UnitOfWork,
    ref: statdb.TableRef | files.FileRef,
    key: str,
    kind: str,
    version: int,
    reason: str,
    at: dt.datetime,
    stats_data_id: str | None,
    file_id: uuid.UUID | None = None,
) -> list[str]:
    g = await directory.statistic(uow, ref.gov_stat_code)
    if g is None:
        return []
    title = f"【{LABEL.get(kind, kind)}】{ref.title}（第{version}版: {reason}）"[:500]
    created = await uow.fetchval(
        INSERT,
        key,
        ref.tenant_id,
        key.split(":", 1)[0],
        stats_data_id,
        file_id,
        ref.gov_stat_code,
        g.name_ja,
        g.agency_code,
        g.agency_name,
        title,
        ref.table_no or "",
        ref.survey_date or "",
        at,
    )
    if created is None:
        return []  # a replayed event: already announced
    return [str(o) for o in await notify.on_published(uow, key, ref.gov_stat_code, at)]


async def on_withdrawn(uow: UnitOfWork, stats_data_id: str) -> None:
    await uow.execute(
        "UPDATE estat_release SET status = 'withdrawn', updated_at = now() WHERE release_key = $1",
        f"db:{stats_data_id}",
    )

"""ESTAT-4 My page of a registered general user: subscriptions (新着通知) and saved queries.

The rows are the user's own: the scope's actor is the user id, and row-level security keeps every
statement to the actor's rows (estat_subscription, estat_saved_query, estat_notification).
"""

from __future__ import annotations

import json
import uuid

import msgspec

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.subsystems.estat.portal import tableview
from govstat.platform.subsystems.estat.portal.rows import (
    Notice,
    SavedQuery,
    SavedQueryStored,
    Subscribed,
    Subscription,
)
from govstat.platform.subsystems.estat.portal.schemas import SavedQueryIn

MAX_SUBSCRIPTIONS = 100
MAX_SAVED = 100


def owner(uow: UnitOfWork) -> uuid.UUID:
    return uuid.UUID(uow.scope.actor)


async def subscriptions(uow: UnitOfWork) -> list[Subscription]:
    return await uow.rows(
        Subscription,
        """
        SELECT s.gov_stat_code, g.name_ja AS stat_name, g.agency_name, s.created_at
        FROM estat_subscription s JOIN directory_statistic g ON g.code = s.gov_stat_code
        WHERE s.owner_id = $1 ORDER BY s.created_at""",
        owner(uow),
    )


async def is_subscribed(uow: UnitOfWork, code: str) -> bool:
    return bool(
        await uow.fetchval(
            "SELECT 1 FROM estat_subscription WHERE owner_id = $1 AND gov_stat_code = $2", owner(uow), code
        )
    )


async def subscribe(uow: UnitOfWork, code: str) -> Subscribed:
    if await directory.statistic(uow, code) is None:
        raise NotFound(f"政府統計 {code} が見つかりません / no government statistic {code}")
    if (
        await uow.fetchval("SELECT count(*) FROM estat_subscription WHERE owner_id = $1", owner(uow))
        >= MAX_SUBSCRIPTIONS
    ):
        raise InvalidInput.field("gov_stat_code", f"登録は{MAX_SUBSCRIPTIONS}件までです / at most {MAX_SUBSCRIPTIONS}")
    await uow.execute(
        "INSERT INTO estat_subscription (owner_id, gov_stat_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        owner(uow),
        code,
    )
    return Subscribed(gov_stat_code=code, subscribed=True)


async def unsubscribe(uow: UnitOfWork, code: str) -> Subscribed:
    await uow.execute("DELETE FROM estat_subscription WHERE owner_id = $1 AND gov_stat_code = $2", owner(uow), code)
    return Subscribed(gov_stat_code=code, subscribed=False)


async def notifications(uow: UnitOfWork, limit: int = 20) -> list[Notice]:
    return await uow.rows(
        Notice,
        """
        SELECT n.release_key, n.status, n.sent_at, n.created_at, r.title, r.stat_name, r.stats_data_id, r.file_id
        FROM estat_notification n JOIN estat_release r USING (release_key)
        WHERE n.owner_id = $1 ORDER BY n.created_at DESC LIMIT $2""",
        owner(uow),
        limit,
    )


def clean_params(values: dict[str, str]) -> dict[str, str]:
    out = {k: str(v)[:2000] for k, v in values.items() if k in tableview.SELECTION_KEYS and v}
    if values.get("cols"):
        out["cols"] = str(values["cols"])[:16]
    return out


async def saved_queries(uow: UnitOfWork) -> list[SavedQuery]:
    return await uow.rows(
        SavedQuery,
        """
        SELECT q.id, q.name, q.stats_data_id, q.params, q.created_at, t.title
        FROM estat_saved_query q LEFT JOIN published_table t ON t.stats_data_id = q.stats_data_id
        WHERE q.owner_id = $1 ORDER BY q.created_at DESC""",
        owner(uow),
    )


async def save_query(uow: UnitOfWork, data: SavedQueryIn) -> SavedQueryStored:
    from govstat.platform.subsystems.estat.api import table_refs
    from govstat.platform.subsystems.estat.api.faults import EstatFault

    try:
        await table_refs.published(uow, data.stats_data_id)
    except EstatFault:
        raise NotFound(f"統計表 {data.stats_data_id} が見つかりません / table not found") from None
    if await uow.fetchval("SELECT count(*) FROM estat_saved_query WHERE owner_id = $1", owner(uow)) >= MAX_SAVED:
        raise InvalidInput.field("name", f"保存は{MAX_SAVED}件までです / at most {MAX_SAVED} saved queries")
    params = clean_params(data.params)
    row = await uow.one(
        SavedQueryStored,
        """
        INSERT INTO estat_saved_query (id, owner_id, name, stats_data_id, params) VALUES ($1, $2, $3, $4, $5::jsonb)
        ON CONFLICT (owner_id, name) DO UPDATE SET stats_data_id = excluded.stats_data_id, params = excluded.params,
          created_at = now()
        RETURNING id, name, stats_data_id, created_at""",
        uuid.uuid4(),
        owner(uow),
        data.name.strip(),
        data.stats_data_id,
        json.dumps(params, ensure_ascii=False),
    )
    return msgspec.structs.replace(row, params=params)


async def delete_query(uow: UnitOfWork, query_id: uuid.UUID) -> None:
    status = await uow.execute("DELETE FROM estat_saved_query WHERE id = $1 AND owner_id = $2", query_id, owner(uow))
    if status.endswith(" 0"):
        raise NotFound("保存した条件が見つかりません / saved query not found")

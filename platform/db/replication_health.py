"""The primary's replication slots and standbys as the operators' check reads them (issue 15 §5,
docs/reliability.md). The platform's read interface (docs/decisions/0010): operations never names
pg_replication_slots or the monitor function.

Why it matters: a physical slot keeps every WAL segment from its restart_lsn on, and with
hot_standby_feedback its xmin holds back vacuum in every database of the cluster; an inactive slot
(a replica that died) or a stuck one never lets go (an empty relay claim took 172 ms behind one).
Each read runs under its own statement timeout inside a SAVEPOINT, so a slow catalog answer costs
the check one round (`error` set), never the caller's transaction or a hung worker.

pg_stat_replication shows a role without pg_read_all_stats only NULLs; its figures come through
`govstat_monitor.standbys()`, a SECURITY DEFINER function that ops/services/postgres-init.sql
creates in each database (only the replay positions and lags, for the app and owner roles). A
database made before it existed answers the slots and `standbys_known=False`.
"""

from __future__ import annotations

import asyncpg
import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True

SLOTS = (
    "SELECT slot_name, slot_type, active, coalesce(age(xmin), 0)::bigint AS xmin_age,"
    " coalesce(age(catalog_xmin), 0)::bigint AS catalog_xmin_age,"
    " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint AS retained_bytes,"
    " coalesce(wal_status, '') AS wal_status FROM pg_replication_slots ORDER BY slot_name"
)
STANDBYS = (
    "SELECT coalesce(application_name, '') AS application_name, coalesce(client_addr, '') AS client_addr,"
    " coalesce(state, '') AS state, coalesce(sync_state, '') AS sync_state,"
    " coalesce(replay_behind_bytes, 0)::bigint AS replay_behind_bytes, replay_lag_ms"
    " FROM govstat_monitor.standbys() ORDER BY application_name, client_addr"
)
HAS_STANDBYS = "SELECT to_regprocedure('govstat_monitor.standbys()') IS NOT NULL"


class Slot(msgspec.Struct, kw_only=True):
    slot_name: str
    slot_type: str  # physical | logical
    active: bool  # a walsender streams from it now
    xmin_age: int  # transactions its xmin (hot_standby_feedback) holds vacuum back by; 0: none
    catalog_xmin_age: int
    retained_bytes: int  # WAL kept for it: the primary's position minus its restart_lsn
    wal_status: str  # reserved | extended | unreserved | lost ('' : never reserved)


class Standby(msgspec.Struct, kw_only=True):
    application_name: str
    client_addr: str
    state: str  # streaming | catchup | backup | ...
    sync_state: str
    replay_behind_bytes: int
    replay_lag_ms: float | None = None  # NULL once an idle standby has caught up: no lag


class ReplicationHealth(msgspec.Struct, kw_only=True):
    slots: list[Slot] = []
    standbys: list[Standby] = []
    standbys_known: bool = True  # False: the monitor function is missing in this database
    error: str = ""  # the read failed (timed out): the figures are unknown this time


async def replication_health(uow: UnitOfWork, timeout_ms: int) -> ReplicationHealth:
    """The slots and standbys now, each statement limited to `timeout_ms`; on a failure the caller's
    transaction goes on (the savepoint is rolled back, with the limit it set)."""
    savepoint = uow.connection.transaction()  # asyncpg: nested in the open transaction -> SAVEPOINT
    await savepoint.start()
    try:
        await uow.execute("SELECT set_config('statement_timeout', $1, true)", str(int(timeout_ms)))
        slots = await uow.rows(Slot, SLOTS)
        known = bool(await uow.fetchval(HAS_STANDBYS))
        standbys = await uow.rows(Standby, STANDBYS) if known else []
    except (asyncpg.PostgresError, TimeoutError) as exc:
        await savepoint.rollback()
        return ReplicationHealth(error=f"{type(exc).__name__}: {exc}"[:300])
    await savepoint.rollback()  # read only: undoing it also restores the caller's statement_timeout
    return ReplicationHealth(slots=slots, standbys=standbys, standbys_known=known)

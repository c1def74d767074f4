"""COMMIT and the pool's session reset in one round trip (issue 10 §7, the deadline day).

A pooled connection given back to asyncpg's pool is reset before anyone else gets it:
`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;` (asyncpg's
`Connection.get_reset_query()`), one more round trip after every unit of work's COMMIT. Here a
unit of work on the primary's pool sends both as one simple-protocol query, `COMMIT; <reset>`, and
marks the connection; the pool's `reset` hook (`pool_reset`, given to the pool in engine.py) skips
the reset query of a marked connection once (the mark is consumed) and runs it for every other one.
The next user of the connection finds exactly what the separate reset left.

If COMMIT fails, PostgreSQL runs nothing after it in the query: the error is raised as from a plain
COMMIT, the transaction is recorded as failed, no mark is set, and the pool resets the connection on
release as ever. asyncpg's Transaction is left as its own `commit()` leaves it (asyncpg pinned in
constraints.txt; tests/platform/db/test_uow_commit.py checks it).
"""

from __future__ import annotations

import weakref
from typing import Any

import asyncpg
from asyncpg.transaction import Transaction, TransactionState

_reset_done: weakref.WeakSet[Any] = weakref.WeakSet()  # raw connections whose reset went with COMMIT


async def commit_and_reset(tx: Transaction) -> None:
    """Commit `tx` (a connection's top transaction, as `begin.begin` starts it) and reset the session
    in the same query; the pool then skips its own reset of this connection once."""
    raw: Any = tx
    con = raw._connection
    if raw._state is not TransactionState.STARTED or raw._nested or con._top_xact is not tx:
        await tx.commit()  # anything but a started top transaction: asyncpg's own path and errors
        return
    con._top_xact = None  # as asyncpg's commit() does
    reset = con.get_reset_query()
    try:
        await con.execute(f"COMMIT;\n{reset}" if reset else "COMMIT;")
    except BaseException:
        raw._state = TransactionState.FAILED
        raise
    raw._state = TransactionState.COMMITTED
    _reset_done.add(con)


async def pool_reset(connection: asyncpg.Connection) -> None:
    """The pool's reset on release (after asyncpg's own rollback of an open transaction and its
    listeners' removal): the session reset, unless the COMMIT just before carried it."""
    if connection in _reset_done:
        _reset_done.discard(connection)
        return
    reset = connection.get_reset_query()
    if reset:
        await connection.execute(reset)


def was_reset(connection: Any) -> bool:
    """Whether the connection (raw, or a pool's proxy) is marked: its reset went with its COMMIT."""
    return getattr(connection, "_con", connection) in _reset_done

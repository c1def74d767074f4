"""BEGIN and the unit of work's scope in one round trip (issue 10 §7, the deadline day).

A unit of work used to open with two round trips: asyncpg's `BEGIN`, then one `SELECT set_config(...)`
of the tenant, role, actor and statement timeout. Here both go as one simple-protocol query,
`BEGIN [READ ONLY]; SELECT set_config(..., true), ...`, the values as quoted literals (the simple
protocol takes no parameters). The settings stay transaction-local (`true`): they end with COMMIT or
ROLLBACK and never leak to the next user of a pooled connection.

`begin()` answers asyncpg's own Transaction, recorded as the connection's top transaction and as
started exactly as asyncpg's `start()` records it, so commit, rollback,
nested `connection.transaction()` savepoints and the pool's reset on release all behave as before
(tests/platform/db/test_uow_begin.py holds that to the pinned asyncpg version).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

import asyncpg
from asyncpg.transaction import Transaction, TransactionState


def literal(value: str) -> str:
    """`value` as an SQL string literal, whatever it holds (PQescapeLiteral's rule): quotes doubled,
    and with any backslash an E'' literal with backslashes doubled, so the reading never depends on
    standard_conforming_strings. A NUL cannot be in a PostgreSQL string: refused."""
    if "\x00" in value:
        raise ValueError("a NUL character cannot be sent to PostgreSQL")
    quoted = value.replace("'", "''")
    if "\\" in value:
        return "E'" + quoted.replace("\\", "\\\\") + "'"
    return "'" + quoted + "'"


@functools.lru_cache(maxsize=4096)
def scope_sql(tenant_id: uuid.UUID | None, role: str, actor: str, statement_timeout_ms: int | None) -> str:
    """The scope's `SELECT set_config(..., true), ...` with every value a quoted literal. Made once
    per scope (an API key's or a session's scope recurs on every call): the text depends on nothing else."""
    settings = [
        ("app.tenant_id", str(uuid.UUID(str(tenant_id))) if tenant_id else ""),
        ("app.role", role),
        ("app.actor", actor),
    ]
    if statement_timeout_ms is not None:
        settings.append(("statement_timeout", str(int(statement_timeout_ms))))
    return "SELECT " + ", ".join(f"set_config({literal(k)}, {literal(v)}, true)" for k, v in settings)


async def begin(connection: asyncpg.Connection, prelude: str, *, readonly: bool) -> Transaction:
    """asyncpg's Transaction on `connection` (a pool's proxy too), started by one query that also runs
    `prelude` (the scope's settings). Its state is what asyncpg's own `start()` leaves: the connection's
    top transaction, started; so commit, rollback, nested savepoints and the pool's reset work as ever."""
    tx = connection.transaction(readonly=readonly)  # bound to the real connection behind a proxy
    # asyncpg's private fields, set as its own start() sets them (asyncpg pinned in constraints.txt;
    # tests/platform/db/test_uow_begin.py checks commit, rollback and savepoints on them)
    raw: Any = tx
    con = raw._connection
    if con._top_xact is not None or con.is_in_transaction():
        raise asyncpg.InterfaceError("a unit of work begins on a connection with no transaction open")
    con._top_xact = tx  # as asyncpg's start() records it: later transaction() calls nest as savepoints
    try:
        await con.execute(("BEGIN READ ONLY; " if readonly else "BEGIN; ") + prelude)
    except BaseException:
        raw._state = TransactionState.FAILED  # the pool's reset rolls the connection back on release
        raise
    raw._state = TransactionState.STARTED
    return tx

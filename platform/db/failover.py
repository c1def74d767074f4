"""Which failures of a replica's read may be tried again on the primary (issue 15 §5, replicas.py).

Only a lost connection: the replica went away (shut down, crashed, its machine or the network gone)
or the server ended this one session (pg_terminate_backend, a FATAL error). A statement that failed on
a live connection (a syntax error, a statement timeout, a conflict with recovery that cancels only the
query, a permission refused) answers the same on the primary, or must not be hidden; it is not retried.
"""

from __future__ import annotations

import contextlib

import asyncpg

# The server's own words for "this session is over" (SQLSTATE 08xxx, 57P01-57P03), and the socket's.
LOST = (
    asyncpg.PostgresConnectionError,  # 08xxx, and asyncpg's ConnectionDoesNotExistError
    asyncpg.AdminShutdownError,  # 57P01: pg_terminate_backend, a fast shutdown
    asyncpg.CrashShutdownError,  # 57P02: another backend crashed, every session ends
    asyncpg.CannotConnectNowError,  # 57P03: starting up or shutting down
    ConnectionError,  # reset, refused, broken pipe
    EOFError,
)


def connection_lost(exc: BaseException, connection: asyncpg.Connection | None) -> bool:
    """True when `exc` means the connection is gone, not that the statement failed on it. Any error
    after which asyncpg finds the connection closed counts too: a FATAL error of another code, or a
    statement sent after the server hung up on an idle connection (`InterfaceError: connection is
    closed`, or under uvloop `InternalClientError: another operation is in progress`)."""
    if isinstance(exc, LOST):
        return True
    if isinstance(exc, (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError)):
        return connection is not None and closed(connection)
    return False


def closed(connection: asyncpg.Connection) -> bool:
    """A pool's connection that closed is taken back by its pool at once: asking it then raises."""
    try:
        return connection.is_closed()
    except asyncpg.InterfaceError:
        return True


def drop(connection: asyncpg.Connection) -> None:
    """Close a lost connection at once, so its pool takes it back without a word on a dead socket."""
    with contextlib.suppress(asyncpg.InterfaceError):  # already taken back
        connection.terminate()

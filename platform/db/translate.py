"""Foreign database errors become govstat errors at the boundary (the unit of work, the problem handler)."""

from __future__ import annotations

import asyncio

import asyncpg

from govstat.platform.errors import Conflict, GovstatError, InvalidInput, NotFound, Unavailable


def translate_db_error(exc: BaseException) -> GovstatError | None:
    """Foreign errors become govstat errors at the boundary."""
    if isinstance(exc, GovstatError):
        return None
    if isinstance(exc, asyncpg.UniqueViolationError):
        return Conflict(f"既に存在します / already exists ({exc.constraint_name})", constraint=exc.constraint_name)
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return InvalidInput(
            f"参照先が存在しません / referenced row does not exist ({exc.constraint_name})",
            constraint=exc.constraint_name,
        )
    if isinstance(exc, (asyncpg.CheckViolationError, asyncpg.NotNullViolationError, asyncpg.ExclusionViolationError)):
        return Conflict(
            f"制約に違反します / constraint violated ({exc.constraint_name})", constraint=exc.constraint_name
        )
    if isinstance(exc, (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError)):
        # text from the request the database cannot store (a NUL character, say): bad input, not a fault
        return InvalidInput(
            "保存・検索できない文字（NUL 等）が含まれています / text contains a character the database"
            " cannot hold (NUL)"
        )
    if isinstance(exc, asyncpg.InsufficientPrivilegeError):
        # An RLS WITH CHECK failure: writing a row of another tenant. Answer as if it does not exist.
        return NotFound("対象が見つかりません / not found")
    if isinstance(exc, asyncpg.LockNotAvailableError):
        # a statement's lock_timeout ran out (e.g. dropping a partition while a long transaction reads)
        return Unavailable("混み合っています。しばらくしてから再度お試しください / busy, try again shortly")
    if isinstance(exc, asyncpg.QueryCanceledError):
        # GOVSTAT_DB_STATEMENT_TIMEOUT_MS ran out: the database is too busy for this now
        return Unavailable(
            "混み合っています。しばらくしてから再度お試しください / busy, try again shortly (statement timeout)"
        )
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return Unavailable(
            "混み合っています。しばらくしてから再度お試しください / busy, try again shortly (no free connection)"
        )
    if isinstance(exc, (OSError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError)):
        return Unavailable("database unavailable")
    return None

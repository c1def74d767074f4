"""The unit of work: one transaction per use case, scoped to one tenant.

Tenant scoping lives here and in the repositories it hands out. The scope is
set with set_config(..., true), so it ends with the transaction and never
leaks to the next user of a pooled connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import asyncpg
from piccolo.table import Table

from govstat.platform.db import guard, replicas
from govstat.platform.db.begin import begin, scope_sql
from govstat.platform.db.engine import DB, acquire
from govstat.platform.db.rows import R, decode, decode_all
from govstat.platform.errors import Conflict, GovstatError, InvalidInput, NotFound, Unavailable
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings

if TYPE_CHECKING:
    from types import TracebackType

    from piccolo.engine.postgres import PostgresTransaction

    from govstat.platform.db.repository import Repository
    from govstat.platform.events.envelope import Envelope

T = TypeVar("T", bound=Table)
LONG_STATEMENT_TIMEOUT_MS = 600_000  # uploads ingested inside a request: big files, bounded all the same
log = logging.getLogger("govstat.uow")


class UnitOfWork:
    """Owns one connection and one transaction.

    It does not depend on the task that opened it: Litestar may resolve a
    request's dependencies in a child task, so Piccolo's "current transaction"
    context variable is set around each query (`bound()`), not once for the
    whole request.
    """

    def __init__(
        self,
        scope: Scope,
        *,
        statement_timeout_ms: int | None = None,
        acquire_timeout_seconds: float | None = None,
        read_only: bool = False,
        after_lsn: int = 0,
    ) -> None:
        self.scope = scope
        # READ ONLY transaction; on a replica when GOVSTAT_DATABASE_REPLICA_URLS names any (replicas.py)
        self.read_only = read_only
        self._pool: Any = None  # the replica pool the connection came from (None: the primary's)
        self.after_lsn = after_lsn  # reads that must see this WAL position: only a replica that replayed it
        self.track_commit = False  # set: after committing, `commit_lsn` is the primary's WAL position
        self.commit_lsn: int | None = None
        self.acquire_timeout_seconds = acquire_timeout_seconds  # None: GOVSTAT_DB_ACQUIRE_TIMEOUT_SECONDS
        # None: a web request's statements get GOVSTAT_DB_STATEMENT_TIMEOUT_MS, other processes none
        self.statement_timeout_ms = statement_timeout_ms
        self._tx: Any = None
        self._token: Any = None
        self._guard: Any = None
        self._statement_timeout = 0  # the limit this transaction applied (0: none)
        self._after_commit: list[Callable[[], Awaitable[object]]] = []
        self._held: list[Envelope[Any]] = []  # events recorded with hold=True, not yet written

    @classmethod
    def for_stream(cls, scope: Scope) -> UnitOfWork:
        """One page of a streamed body (CSV downloads): its 200 and first bytes are already sent, so
        no 503 can follow; rather than cut the body short it waits longer for a connection (up to
        the statement timeout, 30 s where none applies), still bounded."""
        s = get_settings()
        return cls(
            scope,
            acquire_timeout_seconds=max(s.db_acquire_timeout_seconds, (s.db_statement_timeout_ms or 30_000) / 1000),
        )

    @classmethod
    def for_reads(cls, scope: Scope, after_lsn: int = 0) -> UnitOfWork:
        """A read-only unit of work (public GET routes, platform/web/deps.py): a READ ONLY transaction,
        on a hot-standby replica when any is configured, so the same code reads on one machine or many;
        with `after_lsn`, on one that has replayed that WAL position (else the primary)."""
        return cls(scope, read_only=True, after_lsn=after_lsn)

    @property
    def connection(self) -> asyncpg.Connection:
        connection: asyncpg.Connection = self._tx.connection
        return connection

    async def __aenter__(self) -> UnitOfWork:
        timeout = self.statement_timeout_ms
        if timeout is None and guard.in_request():
            timeout = get_settings().db_statement_timeout_ms
        # BEGIN and the scope in one round trip (platform/db/begin.py): transaction-local settings
        prelude = scope_sql(self.scope.tenant_id, self.scope.role, self.scope.actor, timeout)
        self._guard = guard.enter(self)  # before taking a connection: a nest fails without waiting
        try:
            tx = DB.transaction(allow_nested=False)
            replica = (
                await replicas.acquire_read(self.acquire_timeout_seconds, after_lsn=self.after_lsn)
                if self.read_only
                else None
            )
            if replica is not None:
                tx.connection, self._pool = replica
            else:
                tx.connection = await acquire(self.acquire_timeout_seconds)
        except BaseException:
            guard.leave(self, *self._guard)
            raise
        try:
            tx.transaction = await begin(tx.connection, prelude, readonly=self.read_only)
        except BaseException:
            await self._release(tx)
            guard.leave(self, *self._guard)
            raise
        self._tx = tx
        self._statement_timeout = timeout or 0
        # Raw Piccolo queries in the same task (services, jobs, tests) join this transaction.
        self._token = DB.current_transaction.set(tx)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Literal[False]:  # never swallows an exception
        if exc is None:
            try:
                await self._finish(commit=True)
            except BaseException as commit_exc:
                translated = translate_db_error(commit_exc)
                if translated is not None:
                    raise translated from commit_exc
                raise
            for hook in self._after_commit:
                try:
                    await hook()
                except Exception:
                    log.warning("after-commit hook failed", exc_info=True)
            return False
        await self._finish(commit=False)
        translated = translate_db_error(exc)
        if translated is not None:
            raise translated from exc
        return False

    async def _finish(self, *, commit: bool) -> None:
        tx, self._tx = self._tx, None
        try:
            if commit:
                if self._held:  # events held for one insert: written before COMMIT, on this connection
                    from govstat.platform.events.outbox import write_outbox_all

                    held, self._held = self._held, []
                    await write_outbox_all(tx.connection, held)
                await tx.transaction.commit()
                if self.track_commit:
                    self.commit_lsn = await replicas.commit_lsn(tx.connection)
            else:
                self._held = []
                await tx.transaction.rollback()
        finally:
            try:
                try:
                    await self._release(tx)
                finally:
                    guard.leave(self, *self._guard)
            finally:
                # Even when releasing a connection the database dropped raises: a transaction left
                # current in this task's context would refuse every later unit of work in it.
                try:
                    DB.current_transaction.reset(self._token)
                except ValueError:
                    pass  # closed from another task's context: that context is gone with its task

    async def _release(self, tx: PostgresTransaction) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.release(tx.connection)
        elif DB.pool is not None:
            await DB.pool.release(tx.connection)
        else:
            await tx.connection.close()

    @contextmanager
    def bound(self) -> Iterator[None]:
        """Run Piccolo queries inside this unit of work from whatever task is current."""
        token = DB.current_transaction.set(self._tx)
        try:
            yield
        finally:
            DB.current_transaction.reset(token)

    async def act_as(self, actor: str) -> None:
        """From now on in this transaction, act as `actor` (e.g. a user who is just signing up)."""
        import msgspec

        await self.connection.execute("SELECT set_config('app.actor', $1, true)", actor)
        self.scope = msgspec.structs.replace(self.scope, actor=actor)

    async def long_running(self, ms: int = LONG_STATEMENT_TIMEOUT_MS) -> None:
        """A use case that is long on purpose (an upload's ingestion) raises a request's statement limit
        for the rest of its transaction; where no limit applies (CLI, worker) nothing changes."""
        if self._statement_timeout and ms > self._statement_timeout:
            await self.connection.execute("SELECT set_config('statement_timeout', $1, true)", str(int(ms)))
            self._statement_timeout = ms

    @asynccontextmanager
    async def platform_read(self, actor: str) -> AsyncIterator[UnitOfWork]:
        """Read across tenants in a platform scope, read-only, on this unit of work's own connection.

        A second unit of work would hold a second pooled connection while this one waits (the
        deadlock of issue 8). Instead: a SAVEPOINT, then `transaction_read_only` on (PostgreSQL
        allows turning it on at any point, never off) and the system scope; ROLLBACK TO SAVEPOINT
        afterwards undoes all three, so the request goes on in its own scope and may still write.
        Anything written inside the block fails (read-only), so the wider scope only ever reads.
        """
        savepoint = self.connection.transaction()  # asyncpg: nested in the open transaction -> SAVEPOINT
        await savepoint.start()
        scope = self.scope
        try:
            await self.connection.execute(
                "SELECT set_config('transaction_read_only', 'on', true), set_config('app.tenant_id', '', true),"
                " set_config('app.role', 'system', true), set_config('app.actor', $1, true)",
                actor,
            )
            self.scope = Scope.system(actor)
            yield self
        finally:
            self.scope = scope
            await savepoint.rollback()

    async def rollback(self, exc: BaseException) -> None:
        """End the transaction after `exc` without translating it (the caller re-raises it)."""
        await self._finish(commit=False)

    def after_commit(self, hook: Callable[[], Awaitable[object]]) -> None:
        """Run `hook()` once the transaction has committed (e.g. wake the relay)."""
        self._after_commit.append(hook)

    @overload
    def repo(self, table: type[T]) -> Repository[T, dict[str, Any]]: ...
    @overload
    def repo(self, table: type[T], row: type[R]) -> Repository[T, R]: ...
    def repo(self, table: type[T], row: type | None = None) -> Repository[T, Any]:
        """Single-table access scoped to this unit of work's tenant; rows answered as `row` Structs."""
        from govstat.platform.db.repository import Repository

        return Repository(self, table, row)

    async def record(self, event: Envelope[Any], *, hold: bool = False) -> None:
        """Write an event to the outbox inside this transaction (it leaves after commit). `hold`: write
        it with the next event recorded, or just before COMMIT, in one insert (a use case's domain event
        and its call's audit event: one round trip less). Hold only a use case's last write: an event
        held across a savepoint's rollback would outlive it."""
        from govstat.platform.events.outbox import write_outbox_all

        events, self._held = [*self._held, event], []
        if hold:
            self._held = events
        else:
            await write_outbox_all(self.connection, events)

    async def rows(self, row_type: type[R], sql: str, *args: Any) -> list[R]:
        """The query's rows as `row_type` Structs (platform/db/rows.py)."""
        return decode_all(row_type, await self.connection.fetch(sql, *args))

    async def row(self, row_type: type[R], sql: str, *args: Any) -> R | None:
        record = await self.connection.fetchrow(sql, *args)
        return None if record is None else decode(row_type, record)

    async def one(self, row_type: type[R], sql: str, *args: Any, what: str = "対象") -> R:
        """Exactly the row asked for; none answers NotFound (404), as another tenant's row does."""
        found = await self.row(row_type, sql, *args)
        if found is None:
            raise NotFound(f"{what}が見つかりません / not found")
        return found

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self.connection.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self.connection.fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self.connection.fetchval(sql, *args)

    async def execute(self, sql: str, *args: Any) -> str:
        return await self.connection.execute(sql, *args)


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


__all__ = ["NotFound", "UnitOfWork"]

"""The unit of work: one transaction per use case, scoped to one tenant.

Tenant scoping lives here and in the repositories it hands out. The scope is
set with set_config(..., true), so it ends with the transaction and never
leaks to the next user of a pooled connection.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import asyncpg
from piccolo.table import Table

from govstat.platform.db import failover, guard, replicas
from govstat.platform.db.begin import begin, scope_sql
from govstat.platform.db.commit import commit_and_reset
from govstat.platform.db.engine import DB, acquire
from govstat.platform.db.rows import R, decode, decode_all
from govstat.platform.db.translate import translate_db_error
from govstat.platform.errors import NotFound, Unavailable
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings

if TYPE_CHECKING:
    from types import TracebackType

    from piccolo.engine.postgres import PostgresTransaction

    from govstat.platform.db.repository import Repository
    from govstat.platform.events.envelope import Envelope

T = TypeVar("T", bound=Table)
X = TypeVar("X")
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
        self._timeout_set: int | None = None
        self._statement_timeout = 0  # the limit this transaction applied (0: none)
        self._after_commit: list[Callable[[], Awaitable[object]]] = []
        self._held: list[Envelope[Any]] = []  # events recorded with hold=True, not yet written
        self._answered = False  # a statement's result was handed back (no move to the primary after)
        self._moved = False  # moved to the primary once after its replica connection was lost

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
            try:
                await self._begin(tx, timeout)
            except Exception as exc:  # a replica's pooled connection found dead: begin on the primary
                if not await self._to_primary(tx, exc):
                    raise
                await self._begin(tx, timeout)
        except BaseException:
            await self._release(tx)
            guard.leave(self, *self._guard)
            raise
        self._tx = tx
        self._statement_timeout = timeout or 0
        self._timeout_set = timeout  # as set at begin (None: left as it was), again if it moves
        # Raw Piccolo queries in the same task (services, jobs, tests) join this transaction.
        self._token = DB.current_transaction.set(tx)
        return self

    async def _begin(self, tx: PostgresTransaction, timeout: int | None) -> None:
        # BEGIN and the scope in one round trip (platform/db/begin.py): transaction-local settings
        prelude = scope_sql(self.scope.tenant_id, self.scope.role, self.scope.actor, timeout)
        tx.transaction = await begin(tx.connection, prelude, readonly=self.read_only)

    async def _to_primary(self, tx: PostgresTransaction, exc: BaseException) -> bool:
        """After `exc` on a replica's connection: if the connection is lost (failover.py), the replica
        leaves the rotation; and if this unit of work has handed back nothing yet and has not moved
        before, it moves to a primary connection (the caller begins there and runs its statement
        again). Once rows were handed back it fails (Unavailable, 503): the caller may have acted on
        them, and the primary, further on, could contradict them within one use case."""
        if self._pool is None or not failover.connection_lost(exc, tx.connection):
            return False
        pool = self._pool
        await replicas.lost(pool, exc)
        failover.drop(tx.connection)  # closed: its pool takes it back without a word on a dead socket
        if self._answered or self._moved:
            raise Unavailable("database unavailable (a replica went away mid-read)") from exc
        connection = await acquire(self.acquire_timeout_seconds)  # raises: the caller releases the lost one
        lost, tx.connection, self._pool, self._moved = tx.connection, connection, None, True
        await pool.release(lost)
        log.info("read-only unit of work moved to the primary after its replica connection was lost")
        return True

    async def statement(self, run: Callable[[], Awaitable[X]]) -> X:
        """Runs one statement (fetch, fetchrow, fetchval, execute, rows, the repositories' queries): on a
        replica, again on the primary if the replica's connection is lost before anything was handed
        back (`_to_primary`)."""
        if self._pool is None:
            return await run()
        try:
            answer = await run()
        except Exception as exc:
            if not await self._to_primary(self._tx, exc):
                raise
            await self._begin(self._tx, self._timeout_set)
            answer = await run()
        self._answered = True
        return answer

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
                await self._commit(tx)
            else:
                self._held = []
                try:
                    await tx.transaction.rollback()
                except Exception as exc:  # a session the server ended holds no transaction to undo
                    if not failover.connection_lost(exc, tx.connection):
                        raise
                    failover.drop(tx.connection)
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

    async def _commit(self, tx: PostgresTransaction) -> None:
        try:
            if self._pool is None and DB.pool is not None:  # the primary's pool, whose reset hook knows
                await commit_and_reset(tx.transaction)  # COMMIT and the session reset: one round trip
            else:
                await tx.transaction.commit()
        except Exception as exc:
            # A read-only transaction has nothing to commit: what it read stands when its replica goes.
            if self._pool is None or not self.read_only or not failover.connection_lost(exc, tx.connection):
                raise
            await replicas.lost(self._pool, exc)
            failover.drop(tx.connection)
            return
        if self.track_commit:
            self.commit_lsn = await replicas.commit_lsn(tx.connection)

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
        return decode_all(row_type, await self.fetch(sql, *args))

    async def row(self, row_type: type[R], sql: str, *args: Any) -> R | None:
        record = await self.fetchrow(sql, *args)
        return None if record is None else decode(row_type, record)

    async def one(self, row_type: type[R], sql: str, *args: Any, what: str = "対象") -> R:
        """Exactly the row asked for; none answers NotFound (404), as another tenant's row does."""
        found = await self.row(row_type, sql, *args)
        if found is None:
            raise NotFound(f"{what}が見つかりません / not found")
        return found

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self.statement(lambda: self.connection.fetch(sql, *args))

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self.statement(lambda: self.connection.fetchrow(sql, *args))

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self.statement(lambda: self.connection.fetchval(sql, *args))

    async def execute(self, sql: str, *args: Any) -> str:
        return await self.statement(lambda: self.connection.execute(sql, *args))


__all__ = ["NotFound", "UnitOfWork", "translate_db_error"]

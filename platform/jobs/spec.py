"""Jobs: declared by modules, run by the arq worker, serialised with msgspec.

Every job carries its tenant (or none for platform-wide jobs) and an idempotent
job id: enqueueing the same id twice runs it once.

A job runs in its tenant's scope unless its JobSpec says `scope="system"` (schedules and
cross-tenant work). For a tenant job the worker opens the unit of work in
`Scope.tenant(args.tenant_id)` and hands it in as `ctx.uow` (row-level security and the
repositories keep it to that tenant); a job without a tenant is refused. A tenant job that
needs one transaction per step (e-mails) declares `one_transaction=False` and opens each with
`ctx.unit_of_work()`, always in the job's scope.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import msgspec

if TYPE_CHECKING:  # the catalog's modules declare JobSpecs: a runtime import would be a cycle
    from arq.connections import ArqRedis
    from arq.jobs import Job

    from govstat.platform.catalog import Catalog
    from govstat.platform.db.uow import UnitOfWork


class JobArgs(msgspec.Struct, kw_only=True):
    job_id: str
    tenant_id: uuid.UUID | None = None


A = TypeVar("A", bound=JobArgs)


class Enqueued(msgspec.Struct, kw_only=True):
    """The answer of a route that queued a job (202): which job, and its id."""

    job: str
    job_id: str


@dataclass(frozen=True)
class JobContext:
    raw: dict[str, Any]  # arq's ctx (redis pool, job try, ...)
    scope: Any = None  # the job's Scope (set by the worker)
    uow: Any = None  # a tenant job's unit of work, opened by the worker
    catalog: Catalog | None = None  # the modules, handed in by the worker

    def need_catalog(self) -> Catalog:
        """The catalog, for a job that names modules; a worker built without one is a wiring error."""
        if self.catalog is None:
            raise RuntimeError("a job context without the catalog (the worker hands it in)")
        return self.catalog

    @property
    def redis(self) -> ArqRedis:
        redis: ArqRedis = self.raw["redis"]
        return redis

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work in the job's own scope (for jobs with one transaction per step)."""
        from govstat.platform.db.uow import UnitOfWork

        if self.scope is None:
            raise RuntimeError("a job context without a scope (jobs get theirs from the worker)")
        return UnitOfWork(self.scope)


@dataclass(frozen=True)
class JobSpec(Generic[A]):
    name: str  # "<module>.<job>"
    fn: Callable[[JobContext, A], Awaitable[Any]]
    args_type: type[A]
    cron: dict[str, Any] | None = None  # arq cron fields, e.g. {"minute": {0, 30}}
    cron_args: Callable[[], A] | None = None
    timeout_seconds: int = 600
    scope: Literal["tenant", "system"] = "tenant"  # "system": platform-wide, declared on purpose
    one_transaction: bool = True  # tenant jobs: the worker's uow spans the job (ctx.uow)


def serialize(data: dict[str, Any]) -> bytes:
    # A failed job's result is its exception: kept as text (msgpack has no exceptions, and never pickle).
    return msgspec.msgpack.encode(data, enc_hook=_as_text)


def _as_text(value: Any) -> Any:
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    raise NotImplementedError(f"cannot serialise {type(value).__name__}")


def deserialize(data: bytes) -> dict[str, Any]:
    decoded: dict[str, Any] = msgspec.msgpack.decode(data)
    return decoded


async def enqueue(redis: ArqRedis, spec: JobSpec[A], args: A, *, defer_seconds: float | None = None) -> Job | None:
    """Enqueue with the job id as arq's id, so a duplicate enqueue is a no-op."""
    return await redis.enqueue_job(spec.name, msgspec.to_builtins(args), _job_id=args.job_id, _defer_by=defer_seconds)

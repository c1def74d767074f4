"""Jobs: declared by modules, run by the arq worker, serialised with msgspec.

Every job carries its tenant (or none for platform-wide jobs) and an idempotent
job id: enqueueing the same id twice runs it once.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Generic, TypeVar

import msgspec


class JobArgs(msgspec.Struct, kw_only=True):
    job_id: str
    tenant_id: uuid.UUID | None = None


A = TypeVar("A", bound=JobArgs)


@dataclass(frozen=True)
class JobContext:
    raw: dict[str, Any]                 # arq's ctx (redis pool, job try, ...)

    @property
    def redis(self):
        return self.raw["redis"]


@dataclass(frozen=True)
class JobSpec(Generic[A]):
    name: str                           # "<module>.<job>"
    fn: Callable[[JobContext, A], Awaitable[Any]]
    args_type: type[A]
    cron: dict[str, Any] | None = None  # arq cron fields, e.g. {"minute": {0, 30}}
    cron_args: Callable[[], A] | None = None
    timeout_seconds: int = 600


def serialize(data: dict[str, Any]) -> bytes:
    return msgspec.msgpack.encode(data)


def deserialize(data: bytes) -> dict[str, Any]:
    return msgspec.msgpack.decode(data)


async def enqueue(redis, spec: JobSpec[A], args: A, *, defer_seconds: float | None = None):
    """Enqueue with the job id as arq's id, so a duplicate enqueue is a no-op."""
    return await redis.enqueue_job(spec.name, msgspec.to_builtins(args), _job_id=args.job_id,
                                   _defer_by=defer_seconds)

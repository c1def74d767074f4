"""Clearing the job queue after a module whose calls queue jobs that no worker of its own runs (the
adversarial walk, the release notices of corrections): a later test's burst worker then runs its own
jobs, not a backlog that fails against an SMTP server or data long gone."""

from __future__ import annotations

from arq.constants import default_queue_name, job_key_prefix


async def clear_queued_jobs() -> None:
    from govstat.platform.cache import redis_client

    redis = redis_client()
    queued = await redis.zrange(default_queue_name, 0, -1)
    if queued:
        ids = [q.decode() if isinstance(q, bytes) else q for q in queued]
        await redis.delete(*(job_key_prefix + i for i in ids))
        await redis.zrem(default_queue_name, *queued)

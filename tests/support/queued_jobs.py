"""The job queue in tests: the arq worker run in burst mode in process, and clearing the queue after a
module whose calls queue jobs that no worker of its own runs (the adversarial walk, the release
notices of corrections): a later test's burst worker then runs its own jobs, not a backlog that
fails against an SMTP server or data long gone."""

from __future__ import annotations

from arq.constants import default_queue_name, job_key_prefix
from arq.worker import Worker


async def run_worker(poll_delay: float = 0.1) -> Worker:
    """The platform's arq worker in burst mode, in process: runs every queued job (and their
    retries), then stops. The worker, closed, for its counts (jobs_complete, jobs_failed)."""
    from govstat.platform.root.catalog import CATALOG
    from govstat.platform.root.processes import worker_settings
    from govstat.platform.settings import get_settings

    settings = worker_settings(get_settings(), CATALOG)
    settings.update(burst=True, poll_delay=poll_delay, on_startup=None, on_shutdown=None)
    worker = Worker(**settings)
    await worker.main()
    await worker.close()
    return worker


async def clear_queued_jobs() -> None:
    from govstat.platform.cache import redis_client

    redis = redis_client()
    queued = await redis.zrange(default_queue_name, 0, -1)
    if queued:
        ids = [q.decode() if isinstance(q, bytes) else q for q in queued]
        await redis.delete(*(job_key_prefix + i for i in ids))
        await redis.zrem(default_queue_name, *queued)

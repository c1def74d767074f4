"""The adversarial suite calls every route, reloads and runs included: the jobs those calls queued are
cleared after each module, so a later test's burst worker runs its own jobs, not a backlog of area and
classification reloads (which made one billing test take minutes and reloaded shared data under it)."""

from __future__ import annotations

import pytest_asyncio

from tests.support.queued_jobs import clear_queued_jobs


@pytest_asyncio.fixture(scope="module", autouse=True)
async def _clear_queued_jobs():
    yield
    await clear_queued_jobs()

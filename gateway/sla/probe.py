"""Synthetic probes (GOV-9): every minute, GET each module's `probe` path as an outsider would.

Request usage alone cannot see an outage: a module that is down meters nothing,
and a quiet night has no calls to fail. A probe result is a usage event with
source="probe" written to the outbox, so it travels relay -> Kafka -> the SLA
consumer like any request. No answer (refused, reset, timed out) is recorded as
status 599 and counts as an error.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Sequence

import httpx
import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.module import Module
from govstat.platform.security import Scope

log = logging.getLogger("govstat.sla.probe")

NO_ANSWER = 599  # not an HTTP status a server sends: "the probe got no answer"
TIMEOUT_SECONDS = 5.0  # well inside the minute between probes
USER_AGENT = "govstat-sla-probe/1"


class ProbeResult(msgspec.Struct, kw_only=True):
    module: str
    url: str
    status: int
    latency_ms: float
    error: str = ""
    event_id: uuid.UUID

    @property
    def ok(self) -> bool:
        return self.status < 500


def targets(modules: Sequence[Module]) -> list[tuple[str, str]]:
    return [(m.key, m.probe) for m in modules if m.probe]


async def _probe(client: httpx.AsyncClient, base: str, key: str, path: str, timeout: float) -> tuple[ProbeResult, int]:
    url = base + path
    started = time.perf_counter()
    status, error, size = NO_ANSWER, "", 0
    try:
        # httpx times each phase; the outer limit also bounds a server that trickles bytes.
        response = await asyncio.wait_for(client.get(url), timeout)
        status, size = response.status_code, len(response.content)
    except (TimeoutError, httpx.TimeoutException):
        error = f"timeout after {timeout:g}s"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    latency = round((time.perf_counter() - started) * 1000, 3)
    if status >= 500:
        log.warning("probe %s %s failed: %s %s", key, url, status, error)
    elif status >= 400:
        log.warning("probe %s %s answered %s: is the probe path public?", key, url, status)
    return ProbeResult(module=key, url=url, status=status, latency_ms=latency, error=error, event_id=uuid.uuid4()), size


async def probe_once(
    modules: Sequence[Module], base_url: str | None = None, *, timeout: float = TIMEOUT_SECONDS
) -> list[ProbeResult]:
    """Probe every module given (the catalog's subsystems) once, concurrently, and write one usage
    event per result to the outbox."""
    if base_url is None:
        from govstat.platform.settings import get_settings

        base_url = get_settings().base_url
    base = base_url.rstrip("/")
    todo = targets(modules)
    if not todo:
        return []
    at = dt.datetime.now(dt.UTC)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, headers={"user-agent": USER_AGENT}) as client:
        done = await asyncio.gather(*(_probe(client, base, key, path, timeout) for key, path in todo))
    async with UnitOfWork(Scope.system("sla-probe")) as uow:
        for (result, size), (_, path) in zip(done, todo, strict=False):
            # units=0: a probe is the operator's own call, never billable use of a tenant.
            await uow.record(
                new_event(
                    UsagePayload(
                        module=result.module,
                        operation="sla.probe",
                        principal_kind="system",
                        principal="sla-probe",
                        method="GET",
                        path=path,
                        status=result.status,
                        latency_ms=result.latency_ms,
                        bytes=size,
                        units=0,
                        source="probe",
                    ),
                    None,
                    event_id=result.event_id,
                    occurred_at=at,
                )
            )
    return [result for result, _ in done]

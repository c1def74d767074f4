"""A read model that holds its shared group back is detached from it (issue 15 §3, decision 0014).

In a shared group (events/shared.py) a read model whose work fails poll after poll (its handler
raises, or its statements time out) lets the others get only one poll past it: the group commits
no further than its slowest read model. `Stuck` counts, for each read model, the polls in a row in
which it held the group back (another got further through a partition's batch); after
`shared_detach_after_polls` such polls, or `shared_detach_after_seconds` of them, it is detached:

- a row in `read_model_detached` (open until it rejoins; /ops lists it), an operations incident
  through the outbox (module "events", source "check", as the replication check raises), a log
  line and `govstat_read_model_detached`; all in one transaction;
- the shared group goes on without it, as a group of the others (a new Kafka group and marker name,
  started where they all are, events/shared_start.py) and the read model runs alone in its own
  group `govstat.<name>`, started where it had got to: the shared group's committed offset (it
  commits only what every read model applied), or further if its own group was. Its own markers
  and the groups' markers keep every event applied once (events/markers.py);
- once alone it caught up (at the end of every partition it holds), it rejoins: the row is closed,
  the incident's alert cleared, and the whole group starts again where all its read models are.
  A restart of the monitor rejoins it too (the whole group is what a monitor starts with).

A poll in which no read model got further than another (PostgreSQL away for all) counts for none.
"""

from __future__ import annotations

import logging
import time
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import IncidentPayload, new_event
from govstat.platform.security import Scope
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.consumer")
MODULE_KEY = "events"  # not a subsystem: the incident names the event pipeline
CHECK = "read-models"
_detached = meter().create_counter(
    "govstat_read_model_detached", description="read models detached from their shared consumer group"
)
_rejoined = meter().create_counter(
    "govstat_read_model_rejoined", description="detached read models back in their shared consumer group"
)


class Stuck:
    """Polls in a row in which each read model held the group back, and since when."""

    def __init__(self, after_polls: int, after_seconds: float) -> None:
        self.after_polls = after_polls
        self.after_seconds = after_seconds
        self.held: dict[str, tuple[float, int]] = {}  # name: (first such poll's start, polls)

    def clear(self) -> None:
        self.held.clear()

    def poll(self, started: float, held: set[str]) -> dict[str, str]:
        """Count a poll that started at `started` (monotonic) in which `held` held the group back;
        the read models to detach now, with why."""
        for name in set(self.held) - held:
            del self.held[name]
        out = {}
        now = time.monotonic()
        for name in sorted(held):
            since, polls = self.held.get(name, (started, 0))
            self.held[name] = (since, polls + 1)
            if polls + 1 >= self.after_polls or now - since >= self.after_seconds:
                out[name] = f"held the shared group back for {polls + 1} polls in a row ({now - since:.1f} s)"
        return out


async def record_detached(group: str, reasons: dict[str, str]) -> None:
    """The detachments, their incident and their count, in one transaction."""
    async with UnitOfWork(Scope.system("shared-detach")) as uow:
        for name, reason in reasons.items():
            ref = f"{CHECK}:{uuid.uuid4()}"
            at = await uow.fetchval(
                "INSERT INTO read_model_detached (shared_group, read_model, reason, alert_ref) VALUES ($1, $2, $3, $4)"
                " RETURNING detached_at",
                group,
                name,
                reason,
                ref,
            )
            title = (
                f"集計モデル {name} が共有コンシューマグループから切り離されました / read model {name}"
                " detached from its shared consumer group"
            )
            detail = {
                "check": CHECK,
                "read_model": name,
                "group": group,
                "reason": reason,
                "started_at": at.isoformat(),
            }
            await uow.record(new_event(_payload(ref, "detected", title, detail)))
    for name, reason in reasons.items():
        _detached.add(1, {"consumer": name})
        log.error("%s: read model %s detached (%s); it goes on alone, the others without it", group, name, reason)


async def record_rejoined(group: str, names: list[str], why: str) -> None:
    """The open detachments of `names` from `group` closed and their alerts cleared."""
    async with UnitOfWork(Scope.system("shared-detach")) as uow:
        rows = await uow.fetch(
            "UPDATE read_model_detached SET rejoined_at = now() WHERE shared_group = $1 AND read_model = ANY($2)"
            " AND rejoined_at IS NULL RETURNING read_model, alert_ref",
            group,
            names,
        )
        for row in rows:
            title = f"集計モデル {row['read_model']} が復帰しました / read model {row['read_model']} rejoined ({why})"
            await uow.record(new_event(_payload(row["alert_ref"], "monitoring", title, {"check": CHECK})))
    for row in rows:
        _rejoined.add(1, {"consumer": row["read_model"]})
        log.warning("%s: read model %s rejoined (%s)", group, row["read_model"], why)


def _payload(ref: str, state: str, title: str, detail: dict[str, object]) -> IncidentPayload:
    return IncidentPayload(
        incident_id=ref, module=MODULE_KEY, state=state, severity="minor", title=title, detail=detail
    )


__all__ = ["Stuck", "record_detached", "record_rejoined"]

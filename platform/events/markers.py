"""Duplicate markers (`processed_event`): how a consumer knows it applied an event already.

A consumer alone marks each event under its name. A shared group (events/shared.py) marks each
event once under its marker name (`shared.<a>+<b>+<c>`) for all its read models: a third of the
rows the usage topic's three read models wrote before (issue 15 §3). `marker_group` says which
read models a marker name stands for, so:

- a read model of a shared group that runs alone (the group's fallback, or a deployment without
  the group) takes an event as applied if its own marker or that of a group it is in exists;
- a shared group takes an event as applied for one of its read models if that read model's own
  marker, or that of another group it is in, exists (it ran alone, or in another group, before:
  an upgrade's replay, the group's own fallback). Looking costs an index probe per event and
  read model, so it looks only when one of those names marked anything since the poll's oldest
  event occurred (`marker_activity`, kept by every batched writer; a marker is written after its
  event occurred, so a name quiet since then holds none of the poll's events).

Both take a transaction-scoped advisory lock per read model first (in one order), so a group and
a read model alone (two deployments side by side) wait for each other instead of both missing the
other's marker; each statement after the lock sees what the other committed.

"A marker is written after its event occurred" holds only for an event whose occurred_at is not
ahead of the database's clock by more than SKEW. One that is (a writer's clock far ahead, or a bad
occurred_at), marked now and seen again by a group later, could be taken as unmarked elsewhere and
counted twice. So neither path marks it: both answer it as `future`, and the caller sets it aside
at once in dead_letter in the same transaction (events/consumer.py; nothing is lost, it is shown
on /ops with its payload). A later delivery, once its time has come, is applied as any other.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from govstat.platform.db.uow import UnitOfWork

# The locks, then the database's clock (the transaction's: the same now() marker_activity records).
LOCK = (
    "SELECT now() FROM (SELECT count(pg_advisory_xact_lock(hashtext('govstat.marker'), hashtext(m)))"
    " FROM unnest($1::text[]) AS m) AS locked"
)
REGISTER = "INSERT INTO marker_group (name, members) VALUES ($1, $2::text[]) ON CONFLICT (name) DO NOTHING"
SKEW = dt.timedelta(minutes=5)  # clocks of the event's writer and the database may differ by less
_ACTIVE = (
    "INSERT INTO marker_activity (name, last_at) VALUES ($1::text, now()) ON CONFLICT (name)"
    " DO UPDATE SET last_at = greatest(marker_activity.last_at, excluded.last_at)"
)

# A read model alone: its markers, less the events a group it belongs to marked.
ALONE = f"""
WITH active AS ({_ACTIVE}), mark AS (
  INSERT INTO processed_event (consumer, event_id) SELECT $1::text, unnest($2::uuid[])
  ON CONFLICT DO NOTHING RETURNING event_id
)
SELECT event_id FROM mark WHERE NOT EXISTS (
  SELECT 1 FROM marker_group g JOIN processed_event p ON p.consumer = g.name
  WHERE $1::text = ANY(g.members) AND p.event_id = mark.event_id)
"""

# The names other than the group's own that may hold its read models' markers: each read model's
# own, and other groups' with one of them. $1 the group's marker name, $3 its read models.
_NAMES = """names AS (
  SELECT m AS member, m AS consumer FROM unnest($3::text[]) AS m
  UNION ALL
  SELECT m, g.name FROM marker_group g CROSS JOIN unnest(g.members) AS m
  WHERE m = ANY($3::text[]) AND g.name <> $1::text
)"""
# The group's markers written as new (a plain INSERT costs about half of one that looks for
# conflicts: a redelivered event fails it, MARKER_KEY, and the poll goes again with GROUP_FRESH),
# its activity, and the last time another of those names marked anything.
GROUP_NEW = f"""
WITH mark AS (INSERT INTO processed_event (consumer, event_id) SELECT $1::text, unnest($2::uuid[])),
active AS ({_ACTIVE}), {_NAMES}
SELECT max(a.last_at) FROM marker_activity a WHERE a.name IN (SELECT consumer FROM names)
"""
GROUP_FRESH = f"""
WITH active AS ({_ACTIVE}), mark AS (
  INSERT INTO processed_event (consumer, event_id) SELECT $1::text, unnest($2::uuid[])
  ON CONFLICT DO NOTHING RETURNING event_id
)
SELECT event_id FROM mark
"""
# The (read model, event) pairs of $2 applied under another name.
ELSEWHERE = f"""
WITH {_NAMES}
SELECT n.member, p.event_id FROM names n JOIN processed_event p ON p.consumer = n.consumer
WHERE p.event_id = ANY($2::uuid[])
"""
MARKER_KEY = "processed_event_consumer_event_id_key"


class Marked(NamedTuple):
    """What marking a batch found: for each read model (or the one), the events it has not applied;
    and the events refused as dated ahead of the database's clock (not marked, nor applied)."""

    fresh: dict[str, set[uuid.UUID]]
    future: dict[uuid.UUID, dt.datetime]


async def lock(uow: UnitOfWork, names: Sequence[str]) -> dt.datetime:
    """The read models' marker locks, in one order (no two transactions wait on each other in a
    ring); the database's clock."""
    now: dt.datetime = await uow.fetchval(LOCK, sorted(set(names)))
    return now


def _split(
    now: dt.datetime, occurred: Mapping[uuid.UUID, dt.datetime]
) -> tuple[list[uuid.UUID], dict[uuid.UUID, dt.datetime]]:
    """The events that may be marked now, and those dated more than SKEW ahead of `now`."""
    bound = now + SKEW
    if not occurred or max(occurred.values()) <= bound:  # the usual poll: none ahead
        return list(occurred), {}
    future = {i: at for i, at in occurred.items() if at > bound}
    return [i for i in occurred if i not in future], future


async def fresh_alone(uow: UnitOfWork, name: str, occurred: Mapping[uuid.UUID, dt.datetime]) -> Marked:
    """Mark the events (id: occurred_at) for a read model that may belong to a shared group."""
    now = await lock(uow, [name])
    ids, future = _split(now, occurred)
    fresh = {r["event_id"] for r in await uow.fetch(ALONE, name, ids)} if ids else set()
    return Marked({name: fresh}, future)


async def fresh_in_group(
    uow: UnitOfWork,
    marker: str,
    members: Sequence[str],
    occurred: Mapping[uuid.UUID, dt.datetime],
    *,
    redelivered: bool,
) -> Marked:
    """Mark the events (id: occurred_at) once for the group; for each read model, the ones it has
    not applied. Not `redelivered`: the markers written as new (a marker that exists fails the
    statement)."""
    now = await lock(uow, members)
    ids, future = _split(now, occurred)
    if not ids:
        return Marked({m: set() for m in members}, future)
    if redelivered:
        new = [r["event_id"] for r in await uow.fetch(GROUP_FRESH, marker, ids)]
        look = bool(new)
    else:
        new = ids
        last = await uow.fetchval(GROUP_NEW, marker, ids, list(members))
        oldest = min(occurred[i] for i in ids)
        look = last is not None and last >= oldest - SKEW
    fresh = {m: set(new) for m in members}
    if look:
        for row in await uow.fetch(ELSEWHERE, marker, new, list(members)):
            fresh[row["member"]].discard(row["event_id"])
    return Marked(fresh, future)


__all__ = ["MARKER_KEY", "REGISTER", "SKEW", "Marked", "fresh_alone", "fresh_in_group", "lock"]

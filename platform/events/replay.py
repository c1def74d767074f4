"""Dead letters put back once their cause is fixed: the operator's replay (events/poison.py sets them aside).

- The relay's (consumer 'relay'): the stored event goes back into the outbox under its own id, and
  the relay sends it again. The outbox takes an id once (its primary key), so it is sent once; if
  Kafka refuses it again, the relay sets it aside anew (a new row, under its new outbox seq).
- A read model's: the stored event is applied to that read model again, with its duplicate marker,
  in the caller's transaction (Consumer.apply_in: a savepoint here). An event the read model has
  applied since (its marker exists) is not applied again: outcome 'duplicate'. An event still dated
  more than markers.SKEW ahead of the database's clock is refused (StillAhead) and nothing changes.
  If the apply fails again, the row stays open with the new error, attempts + 1, outcome 'failed'.

A replayed row is marked (replayed_at, replayed_by, outcome), never deleted; replaying it again
is refused (AlreadyReplayed). Each replay leaves an audit event `events.dead_letter.replayed`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

import msgspec

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, NotFound
from govstat.platform.events.audit import audit
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import EventDecoder, make_decoder
from govstat.platform.events.markers import SKEW
from govstat.platform.events.poison import RELAY
from govstat.platform.events.wake import CHANNEL

ROW = "SELECT id, consumer, topic, payload, event_id, attempts, replayed_at, replayed_by, outcome FROM dead_letter"
REQUEUE = (
    "WITH added AS (INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload) VALUES ($1, $2, $3, $3, $4)"
    f" ON CONFLICT (id) DO NOTHING RETURNING 1) SELECT (SELECT count(*) FROM added), pg_notify('{CHANNEL}', '')"
)
MARK = "UPDATE dead_letter SET replayed_at = now(), replayed_by = $2, outcome = $3 WHERE id = $1 RETURNING replayed_at"
FAILED = (
    "UPDATE dead_letter SET error = $2, attempts = attempts + 1, outcome = 'failed' WHERE id = $1 RETURNING attempts"
)


_made: dict[int, tuple[Catalog, Replayer]] = {}


class AlreadyReplayed(Conflict):
    title = "再処理済みです / Already replayed"


class StillAhead(Conflict):
    title = "イベントの日時がまだ先です / Event still dated ahead"


class Replayed(msgspec.Struct, kw_only=True):
    """What a replay did: requeued (relay), applied, duplicate (applied before), failed (see error);
    in a consumer's replay also refused (see error: nothing changed)."""

    id: int
    consumer: str
    event_id: uuid.UUID | None = None
    outcome: str
    attempts: int
    error: str | None = None
    replayed_at: dt.datetime | None = None
    replayed_by: str | None = None


class _Head(msgspec.Struct):
    tenant_id: uuid.UUID | None = None


class Replayer:
    """Replays dead letters for the given read models; `of(catalog)` for every module's."""

    def __init__(self, read_models: Iterable[Consumer], decoder: EventDecoder, topic_prefix: str) -> None:
        self.read_models = {c.name: c for c in read_models}
        self.decoder = decoder
        self.prefix = topic_prefix

    @classmethod
    def of(cls, catalog: Catalog) -> Replayer:
        """Every module's read models and the decoder of their events (made once per catalog)."""
        from govstat.platform.settings import get_settings

        made = _made.get(id(catalog))
        if made is None or made[0] is not catalog:
            decoder = make_decoder(e for m in catalog.modules for e in m.events)
            replayer = cls((c(catalog) for c in catalog.consumers), decoder, get_settings().kafka_topic_prefix)
            made = _made[id(catalog)] = (catalog, replayer)
        return made[1]

    async def one(self, uow: UnitOfWork, dead_letter_id: int, *, by: str) -> Replayed:
        """Replay one dead letter (NotFound, AlreadyReplayed, StillAhead: nothing changed)."""
        row = await uow.fetchrow(ROW + " WHERE id = $1 FOR UPDATE", dead_letter_id)
        if row is None:
            raise NotFound(f"デッドレター {dead_letter_id} はありません / no dead letter {dead_letter_id}")
        if row["replayed_at"] is not None:
            raise AlreadyReplayed(
                f"デッドレター {dead_letter_id} は {row['replayed_at'].isoformat()} に {row['replayed_by']} が再処理済み"
                f" ({row['outcome']}) / already replayed",
                replayed_at=row["replayed_at"].isoformat(),
                outcome=row["outcome"],
            )
        if row["payload"] is None:
            raise Conflict(f"デッドレター {dead_letter_id} にはイベントが残っていません / no payload kept")
        if row["consumer"] == RELAY and row["event_id"] is not None:
            outcome, error = await self._requeue(uow, row), None
        else:
            outcome, error = await self._reapply(uow, row)
        return await self._record(uow, row, outcome, error, by)

    async def consumer(self, uow: UnitOfWork, name: str, *, by: str, limit: int = 500) -> list[Replayed]:
        """Replay a consumer's open dead letters, oldest first; one refused (still dated ahead, say)
        is answered with outcome 'refused' and the reason, and left as it was."""
        rows = await uow.fetch(
            "SELECT id, event_id, attempts FROM dead_letter WHERE consumer = $1 AND replayed_at IS NULL"
            " ORDER BY id LIMIT $2",
            name,
            limit,
        )
        done = []
        for r in rows:
            try:
                done.append(await self.one(uow, r["id"], by=by))
            except Conflict as exc:
                done.append(Replayed(outcome="refused", error=exc.detail, consumer=name, **dict(r.items())))
        return done

    async def _requeue(self, uow: UnitOfWork, row: Any) -> str:
        topic: str = row["topic"]
        if not topic.startswith(self.prefix):
            raise Conflict(
                f"トピック {topic} はこの環境の接頭辞 {self.prefix!r} にありません / not this deployment's topic"
            )
        payload = bytes(row["payload"])
        try:
            tenant_id = msgspec.json.decode(payload, type=_Head).tenant_id
        except msgspec.DecodeError as exc:
            raise Conflict(f"イベントを読めません / unreadable event: {exc}") from None
        added = await uow.fetchval(REQUEUE, row["event_id"], tenant_id, topic[len(self.prefix) :], payload)
        return "requeued" if added else "in-outbox"

    async def _reapply(self, uow: UnitOfWork, row: Any) -> tuple[str, str | None]:
        read_model = self.read_models.get(row["consumer"])
        if read_model is None:
            raise Conflict(f"読込モデル {row['consumer']} はこの環境にありません / no such read model here")
        try:
            event = self.decoder.decode(bytes(row["payload"]))
        except Exception as exc:  # still unreadable (its module's events not deployed, say)
            return "failed", f"{type(exc).__name__}: {exc}"
        now = await uow.fetchval("SELECT now()")
        if event.occurred_at > now + SKEW:
            raise StillAhead(
                f"イベント {event.id} の日時 {event.occurred_at.isoformat()} はデータベースの時刻 {now.isoformat()}"
                f" より {SKEW} 以上先です。{(event.occurred_at - SKEW).isoformat()} 以降に再処理してください"
                " / still ahead of the database's clock",
                occurred_at=event.occurred_at.isoformat(),
            )
        savepoint = uow.connection.transaction()  # nested: a SAVEPOINT; a failed handler leaves nothing
        await savepoint.start()
        try:
            fresh = await read_model.apply_in(uow, event)
        except Exception as exc:
            await savepoint.rollback()
            return "failed", f"{type(exc).__name__}: {exc}"
        await savepoint.commit()
        return ("applied" if fresh else "duplicate"), None

    async def _record(self, uow: UnitOfWork, row: Any, outcome: str, error: str | None, by: str) -> Replayed:
        attempts, at = row["attempts"], None
        if error is None:
            at = await uow.fetchval(MARK, row["id"], by[:200], outcome)
        else:
            error = error[:2000]
            attempts = await uow.fetchval(FAILED, row["id"], error)
        await audit(
            uow,
            "events.dead_letter.replayed",
            tenant_id=None,
            target_type="dead_letter",
            target_id=row["id"],
            module="platform",
            outcome="failure" if error else "success",
            consumer=row["consumer"],
            event_id=row["event_id"],
            result=outcome,
            by=by,
        )
        return Replayed(
            id=row["id"],
            consumer=row["consumer"],
            event_id=row["event_id"],
            outcome=outcome,
            attempts=attempts,
            error=error,
            replayed_at=at,
            replayed_by=by if at else None,
        )


__all__ = ["AlreadyReplayed", "Replayed", "Replayer", "StillAhead"]

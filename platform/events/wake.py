"""Waking the relay when events are committed, instead of waiting for its next poll (issue 15 §3).

Every write to the outbox also runs `pg_notify(CHANNEL, '')` in its transaction (events/outbox.py);
PostgreSQL delivers the notification only after that transaction commits (never for one rolled
back), and once per transaction however many events it wrote. The relay LISTENs on a connection of
its own and claims at once. The poll stays: a notification lost with the listening connection (a
PostgreSQL restart) or a row written some other way is picked up at the next interval, as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg

log = logging.getLogger("govstat.relay")

CHANNEL = "govstat_outbox"
RECONNECT_AFTER_S = 5.0  # while PostgreSQL is away, try to listen again at most this often


class OutboxWake:
    """An asyncio event set by the outbox's notifications; `wait` falls back to a timeout."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._woken = asyncio.Event()
        self._connection: asyncpg.Connection | None = None
        self._tried_at = -RECONNECT_AFTER_S

    @property
    def listening(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    def clear(self) -> None:
        """Forget earlier wake-ups: call it before claiming, so a commit after that wakes the next wait."""
        self._woken.clear()

    async def wait(self, stop: asyncio.Event, seconds: float) -> None:
        """Until an outbox write commits, `stop` is set, or `seconds` pass (the poll)."""
        if not self.listening:
            await self._listen()
        stopping = asyncio.ensure_future(stop.wait())
        woken = asyncio.ensure_future(self._woken.wait())
        try:
            await asyncio.wait((stopping, woken), timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            woken.cancel()

    async def _listen(self) -> None:
        if time.monotonic() - self._tried_at < RECONNECT_AFTER_S:
            return
        self._tried_at = time.monotonic()
        await self.close()
        try:
            connection = await asyncpg.connect(self.dsn, timeout=5)
            await connection.add_listener(CHANNEL, self._notified)
        except Exception as exc:  # PostgreSQL away: the poll carries on alone
            log.info("relay: not listening for outbox commits (%s); polling", exc)
            return
        self._connection = connection
        self._woken.set()  # rows may have been committed while no one listened

    def _notified(self, *_: Any) -> None:
        self._woken.set()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await asyncio.wait_for(connection.close(), timeout=2)
            except Exception:
                connection.terminate()

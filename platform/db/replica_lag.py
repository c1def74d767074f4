"""How far behind the primary each replica is, sampled per process (issue 15 §5, docs/scaling.md).

Every `check_ms` (GOVSTAT_REPLICA_LAG_CHECK_MS) one task per process asks the primary for its WAL
position (`pg_current_wal_lsn()`) and then each replica for the position it has replayed
(`pg_last_wal_replay_lsn()`): two tiny queries per check, none per request. The primary's positions
of the last few checks are kept with their times; a replica that has replayed the position the
primary had at time t holds every commit made before t, so its lag is at most `now - t` for the
latest such t (an upper bound, accurate to one check; no clocks are compared across machines). An
idle primary's caught-up replica has lag 0, and so does a paused one until the primary writes.

A replica more than `max_lag_ms` (GOVSTAT_REPLICA_MAX_LAG_MS) behind, or that does not answer, leaves
the rotation (a warning in the log, `govstat_replica_lag_ms` and `govstat_replica_in_rotation` in
the metrics) and comes back, logged too, at the first check that finds it within the limit.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from typing import TYPE_CHECKING, Any, Protocol

import asyncpg

from govstat.platform.errors import Unavailable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from asyncpg import Pool

log = logging.getLogger("govstat.db.replicas")
QUERY_TIMEOUT_SECONDS = 1.0
LSN = "(({}) - '0/0'::pg_lsn)::bigint"  # a WAL position as a number of bytes
PRIMARY_LSN = "SELECT " + LSN.format("pg_current_wal_lsn()")
# (on a server that is no standby, its own position: a primary named as a replica is never behind)
REPLAYED_LSN = "SELECT " + LSN.format(
    "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END"
)


class Sampled(Protocol):
    """What the sampler reads and sets on each replica (platform/db/replicas.py's _Replica)."""

    url: str
    pool: Pool
    replayed: int  # the WAL position it had replayed at the last check (-1: never answered)
    lag_ms: float  # at most this far behind at the last check
    in_rotation: bool


class Sampler:
    def __init__(self, max_lag_ms: int, check_ms: int) -> None:
        self.max_lag_ms, self.check_ms = max_lag_ms, check_ms
        # (time, primary's position): enough checks to tell any lag up to twice the limit
        self.primary: collections.deque[tuple[float, int]] = collections.deque(maxlen=2 * max_lag_ms // check_ms + 3)
        self.asking: dict[int, asyncio.Task[None]] = {}  # each replica's ask still under way

    def lag_ms(self, replayed: int, now: float) -> float:
        """At most this many ms behind: since the latest check whose primary position it has replayed."""
        fresh = [t for t, lsn in self.primary if lsn <= replayed]
        since = max(fresh) if fresh else self.primary[0][0] - self.check_ms / 1000
        return max(0.0, (now - since) * 1000)

    async def check(self, replicas: Sequence[Sampled], primary_lsn: Callable[[], Any]) -> None:
        try:
            self.primary.append((time.monotonic(), int(await primary_lsn())))
        except (Unavailable, OSError, asyncpg.PostgresError, TimeoutError) as exc:
            log.warning("replica lag: the primary's WAL position is unknown (%s); no change this time", exc)
            return
        await asyncio.gather(*(self._one(r) for r in replicas))

    async def _one(self, replica: Sampled) -> None:
        # The ask runs as a task of its own that this check stops waiting for after a bound: a
        # connection being opened to a machine that went silent waits out its connect timeout
        # (10 s seen), cancelled or not, and the verdict must not wait with it. A still-running
        # ask is not repeated; meanwhile what the replica last replayed ages.
        ask = self.asking.get(id(replica))
        if ask is None or ask.done():
            if ask is not None and not ask.cancelled():
                ask.exception()  # an answer that came after its check's bound: read, so never reported
            ask = self.asking[id(replica)] = asyncio.get_running_loop().create_task(self._ask(replica))
        done, _ = await asyncio.wait({ask}, timeout=2 * QUERY_TIMEOUT_SECONDS)
        exc = ask.exception() if done else TimeoutError()
        if isinstance(exc, TimeoutError):  # busy or silent: a silence past the limit is a lag past it
            replica.lag_ms = self.lag_ms(replica.replayed, time.monotonic()) if replica.replayed >= 0 else float("inf")
            if replica.lag_ms > self.max_lag_ms:
                self._set(replica, False, "does not answer in time")
            return
        if exc is not None:
            replica.lag_ms = float("inf")
            self._set(replica, False, f"does not answer ({type(exc).__name__}: {exc})")
            return
        replica.lag_ms = self.lag_ms(replica.replayed, time.monotonic())
        within = replica.lag_ms <= self.max_lag_ms
        self._set(replica, within, f"{'within' if within else 'behind more than'} {self.max_lag_ms} ms")

    def _set(self, replica: Sampled, in_rotation: bool, why: str) -> None:
        if replica.in_rotation != in_rotation:
            state = "back in rotation" if in_rotation else "out of rotation, its reads go to the primary"
            level = logging.INFO if in_rotation else logging.WARNING
            log.log(level, "replica %s %s: %s (lag %.0f ms)", safe_url(replica.url), state, why, replica.lag_ms)
        replica.in_rotation = in_rotation

    async def _ask(self, replica: Sampled) -> None:
        async with replica.pool.acquire(timeout=QUERY_TIMEOUT_SECONDS) as con:
            replica.replayed = int(await con.fetchval(REPLAYED_LSN, timeout=QUERY_TIMEOUT_SECONDS))

    async def run(self, replicas: Sequence[Sampled], primary_lsn: Callable[[], Any]) -> None:
        while True:
            t0 = time.monotonic()
            try:
                await self.check(replicas, primary_lsn)
            except Exception:  # a sampler that died would freeze the verdicts: log and go on
                log.exception("replica lag check failed")
            await asyncio.sleep(max(0.0, self.check_ms / 1000 - (time.monotonic() - t0)))


def observe(replicas: Callable[[], Sequence[Sampled]]) -> None:
    """The lag and the rotation of each replica in the process's metrics (read when scraped)."""
    from opentelemetry.metrics import CallbackOptions, Observation

    from govstat.platform.telemetry import meter

    def lag(_: CallbackOptions) -> list[Observation]:
        return [Observation(min(r.lag_ms, 1e9), {"replica": safe_url(r.url)}) for r in replicas()]

    def rotation(_: CallbackOptions) -> list[Observation]:
        return [Observation(int(r.in_rotation), {"replica": safe_url(r.url)}) for r in replicas()]

    m = meter()
    m.create_observable_gauge("govstat_replica_lag_ms", [lag], description="a replica's replay lag, at most")
    m.create_observable_gauge("govstat_replica_in_rotation", [rotation], description="1: serves reads")


def safe_url(url: str) -> str:
    """The URL without its password, for logs."""
    _, at, tail = url.rpartition("@")
    return ("…@" + tail) if at else url

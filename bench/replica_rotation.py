"""What lag-aware routing costs and how fast it acts (docs/scaling.md, step 2), with the real replica.

1. Out and back: with the app's own sampler (platform/db/replica_lag.py, the settings' limit and
   check interval), replay paused on the replica and a commit on the primary: the seconds until the
   replica leaves the rotation; replay resumed: the seconds until it is back. Several rounds.
2. Read-your-writes: what a write request pays for its cookie, one `pg_current_wal_lsn()` round trip
   after its commit (p50/p99 over many).

    python bench/replica_rotation.py --replica postgresql://postgres:postgres@127.0.0.1:5433/govstat
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.summary import figure


async def _until(check, seconds: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    while not check():
        if time.monotonic() - t0 > seconds:
            raise TimeoutError("no change in time")
        await asyncio.sleep(0.005)
    return time.monotonic() - t0


async def rotation(replica: str, primary_url: str, rounds: int = 3, lsn_calls: int = 300) -> None:
    import asyncpg

    from govstat.platform.db import replica_lag, replicas
    from govstat.platform.settings import get_settings

    s = get_settings()
    primary = await asyncpg.connect(primary_url or s.migration_database_url)
    sampler = await asyncpg.connect(primary_url or s.migration_database_url)
    standby = await asyncpg.connect(replica)

    async def primary_lsn() -> int:
        return int(await sampler.fetchval(replica_lag.PRIMARY_LSN))

    await replicas.start([replica], primary_lsn=primary_lsn)
    outs, backs = [], []
    try:
        await primary.execute("CREATE TABLE IF NOT EXISTS bench_replica_rotation (n int)")
        for n in range(rounds):
            await _until(lambda: bool(replicas.status()[0]["in_rotation"]))
            await standby.execute("SELECT pg_wal_replay_pause()")
            await primary.execute("INSERT INTO bench_replica_rotation VALUES ($1)", n)
            outs.append(await _until(lambda: not replicas.status()[0]["in_rotation"]))
            await standby.execute("SELECT pg_wal_replay_resume()")
            backs.append(await _until(lambda: bool(replicas.status()[0]["in_rotation"])))
        lsn = []
        for _ in range(lsn_calls):
            t0 = time.perf_counter()
            await primary.fetchval(replica_lag.PRIMARY_LSN)
            lsn.append((time.perf_counter() - t0) * 1000)
        await primary.execute("DROP TABLE bench_replica_rotation")
    finally:
        await standby.execute("SELECT pg_wal_replay_resume()")
        await replicas.close()
        for con in (primary, sampler, standby):
            await con.close()
    lsn.sort()
    limit, every = s.replica_max_lag_ms, s.replica_lag_check_ms
    print(f"lag limit {limit} ms, checked every {every} ms; {rounds} rounds")
    print(f"  paused + a commit -> out of rotation: {', '.join(f'{x:.2f}' for x in outs)} s")
    print(f"  resumed -> back in rotation: {', '.join(f'{x:.2f}' for x in backs)} s")
    print(
        f"  read-your-writes, per write: p50 {statistics.median(lsn):.3f} ms, p99 {lsn[int(len(lsn) * 0.99) - 1]:.3f} ms"
    )
    figure(
        "scaling",
        "lagging replica out of rotation after",
        statistics.median(outs),
        "s",
        f"< {(limit + 2 * every) / 1000}",
    )
    figure("scaling", "caught-up replica back in rotation after", statistics.median(backs), "s")
    figure("scaling", "read-your-writes cost per write (p50)", statistics.median(lsn), "ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replica", required=True, help="a hot standby's URL as a superuser (it pauses replay)")
    parser.add_argument("--primary", default="", help="the primary's URL (default: the owner's)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(rotation(args.replica, args.primary, args.rounds))


if __name__ == "__main__":
    main()

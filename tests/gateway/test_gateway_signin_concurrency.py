"""Sign-in under concurrency: the lockout cannot be raced, and argon2 never blocks the event loop."""

import asyncio
import time

from govstat.platform import passwords
from govstat.platform.cache import redis_client
from tests.support import factories as f


async def test_thirty_parallel_wrong_passwords_give_at_most_five_failures(client):
    """Before, each attempt read the counter, verified (slowly), then incremented: all 30 read
    "0 failures" and were verified, so an attacker got 30 guesses instead of 5."""
    t = await f.make_tenant()
    mark = await f.outbox_mark()
    answers = await asyncio.gather(
        *(
            client.post("/auth/login", json={"login": t.staff_login, "password": f"wrong-password-{n:02d}"})
            for n in range(30)
        )
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [401] * 5 + [429] * 25, f"{codes.count(401)} verified and refused, {codes.count(429)} locked"
    assert all(int(r.headers["retry-after"]) > 0 for r in answers if r.status_code == 429)
    failed = [e for e in await f.audit_events(mark, prefix="auth.sign_in_failed") if e.detail["login"] == t.staff_login]
    assert sorted(e.detail["reason"] for e in failed).count("bad_credentials") == 5
    # locked for the right password too, until the lockout ends
    r = await client.post("/auth/login", json={"login": t.staff_login, "password": f.PASSWORD})
    assert r.status_code == 429
    await redis_client().delete(f"govstat:signin-fail:login:{t.staff_login}")
    await f.sign_in(client, t.staff_login)


async def _counters_expire_and_none_is_negative() -> None:
    redis = redis_client()
    for key in await redis.keys("govstat:signin-fail:*"):
        assert await redis.ttl(key) > 0 and int(await redis.get(key) or 0) >= 0, key


async def test_a_success_does_not_count_as_a_failure(client):
    t = await f.make_tenant()
    for _ in range(4):
        assert (
            await client.post("/auth/login", json={"login": t.staff_login, "password": "nope-nope-nope"})
        ).status_code == 401
    await _counters_expire_and_none_is_negative()
    for _ in range(8):  # successes give their place back: never locked by signing in
        await f.sign_in(client, t.staff_login)
    assert (
        await client.post("/auth/login", json={"login": t.staff_login, "password": "nope-nope-nope"})
    ).status_code == 401
    await _counters_expire_and_none_is_negative()


async def _longest_stall(coro) -> float:
    """The longest time the event loop did not run a 1 ms ticker while `coro` ran."""
    done = asyncio.Event()
    longest = 0.0

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    task = asyncio.create_task(ticker())
    try:
        await coro
    finally:
        done.set()
        await task
    return longest


async def test_password_checks_do_not_block_the_event_loop(client):
    """Argon2 verification takes tens of milliseconds of CPU; on the loop it stalls every request of
    the process for that long per sign-in. In a thread, the loop keeps ticking."""
    t = await f.make_tenant()
    stored = passwords._hash(f.PASSWORD)
    # the slowest of three: on a loaded machine a lucky fast measurement would make the bar too tight
    one_verify = max(_timed(passwords._verify, stored, f.PASSWORD) for _ in range(3))

    async def sign_ins() -> None:
        answers = await asyncio.gather(
            *(client.post("/auth/login", json={"login": t.staff_login, "password": f.PASSWORD}) for _ in range(4))
        )
        assert {r.status_code for r in answers} == {200}

    # A stall as long as one verification happens at every sign-in when argon2 runs on the loop; the
    # machine may stall the process now and then too, so the best of five runs decides. On the loop,
    # every run stalls at least one whole verification (ratio >= 1); in threads it stays well below.
    stalls = []
    for _ in range(5):
        stalls.append(await _longest_stall(sign_ins()))
        if stalls[-1] < one_verify * 0.75:
            break
    assert min(stalls) < one_verify * 0.75, (stalls, one_verify)


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started

"""Sign-in with lockout (AUTH-1): failures are counted per login and per address in Redis.

Each attempt takes its place in both counters before the password is checked, in one Lua script
(check and increment together): a burst of parallel guesses cannot all read "4 failures so far"
and all be verified. A success gives its place back."""

from __future__ import annotations

from redis.asyncio import Redis

from govstat.gateway.credentials import check_password
from govstat.gateway.rows import SignedIn
from govstat.gateway.security_events import record_sign_in
from govstat.platform.errors import RateLimited

MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_ADDRESS = 20
LOCKOUT_SECONDS = 15 * 60

# KEYS: login counter, address counter. ARGV: max per login, max per address, lockout seconds.
# Returns 0 when the attempt may go on (and is counted), else the seconds to wait.
_TAKE_ATTEMPT = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', key)
    if ttl < 1 then ttl = 1 end
    return ttl
  end
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[3])
end
return 0
"""

# A success clears the login's failures and returns its place to the address (never below zero,
# never leaving a counter without its expiry).
_GIVE_BACK = """
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
"""


def _keys(login: str, ip: str) -> tuple[str, str]:
    return f"govstat:signin-fail:login:{login}", f"govstat:signin-fail:ip:{ip}"


async def _take_attempt(redis: Redis, login: str, ip: str) -> int:
    return int(
        await redis.eval(
            _TAKE_ATTEMPT, 2, *_keys(login, ip), MAX_FAILURES_PER_LOGIN, MAX_FAILURES_PER_ADDRESS, LOCKOUT_SECONDS
        )
    )


async def _give_back(redis: Redis, login: str, ip: str) -> None:
    await redis.eval(_GIVE_BACK, 2, *_keys(login, ip))


# An attempt that never reached a verdict (database busy or away) is undone, not forgiven: only this
# attempt's place comes back, earlier failures stay counted.
_UNDO_ATTEMPT = """
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
"""


async def _undo_attempt(redis: Redis, login: str, ip: str) -> None:
    try:
        await redis.eval(_UNDO_ATTEMPT, 2, *_keys(login, ip))
    except Exception:
        pass


async def sign_in(redis: Redis, login: str, password: str, ip: str) -> SignedIn | None:
    """The user, or raises: RateLimited when locked out; returns None on wrong credentials."""
    wait = await _take_attempt(redis, login, ip)
    if wait:
        await record_sign_in("", None, login, False, "locked", ip)
        raise RateLimited(
            f"サインインの失敗が続いたため{LOCKOUT_SECONDS // 60}分間ロックしています"
            f" / locked after repeated failures; retry in {wait}s",
            headers={"Retry-After": str(wait)},
        )
    try:
        user = await check_password(login, password)
    except BaseException:
        # a crowd that exhausts the pool must not lock people out with 503s that checked nothing
        await _undo_attempt(redis, login, ip)
        raise
    if user is None:
        await record_sign_in("", None, login, False, "bad_credentials", ip)
        return None
    await _give_back(redis, login, ip)
    await record_sign_in(str(user.id), user.tenant_id, login, True, ip=ip)
    return user

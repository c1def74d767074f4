"""Sign-in with lockout (AUTH-1): failures are counted per login and per address in Redis."""
from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from govstat.platform.errors import RateLimited
from govstat.gateway.credentials import check_password
from govstat.gateway.security_events import record_sign_in

MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_ADDRESS = 20
LOCKOUT_SECONDS = 15 * 60


@dataclass(frozen=True)
class SignInResult:
    user: dict | None
    reason: str = ""


async def _locked_for(redis: Redis, login: str, ip: str) -> int:
    pipe = redis.pipeline()
    pipe.get(f"govstat:signin-fail:login:{login}")
    pipe.ttl(f"govstat:signin-fail:login:{login}")
    pipe.get(f"govstat:signin-fail:ip:{ip}")
    pipe.ttl(f"govstat:signin-fail:ip:{ip}")
    by_login, login_ttl, by_ip, ip_ttl = await pipe.execute()
    if by_login and int(by_login) >= MAX_FAILURES_PER_LOGIN:
        return max(int(login_ttl), 1)
    if by_ip and int(by_ip) >= MAX_FAILURES_PER_ADDRESS:
        return max(int(ip_ttl), 1)
    return 0


async def _count_failure(redis: Redis, login: str, ip: str) -> None:
    pipe = redis.pipeline()
    for key in (f"govstat:signin-fail:login:{login}", f"govstat:signin-fail:ip:{ip}"):
        pipe.incr(key)
        pipe.expire(key, LOCKOUT_SECONDS)
    await pipe.execute()


async def sign_in(redis: Redis, login: str, password: str, ip: str) -> dict:
    """The user row, or raises: RateLimited when locked out; returns {} on wrong credentials."""
    wait = await _locked_for(redis, login, ip)
    if wait:
        await record_sign_in("", None, login, False, "locked", ip)
        raise RateLimited(f"サインインの失敗が続いたため{LOCKOUT_SECONDS // 60}分間ロックしています"
                          f" / locked after repeated failures; retry in {wait}s",
                          headers={"Retry-After": str(wait)})
    user = await check_password(login, password)
    if user is None:
        await _count_failure(redis, login, ip)
        await record_sign_in("", None, login, False, "bad_credentials", ip)
        return {}
    await redis.delete(f"govstat:signin-fail:login:{login}")
    await record_sign_in(str(user["id"]), user["tenant_id"], login, True, ip=ip)
    return user

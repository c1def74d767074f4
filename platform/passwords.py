"""Password hashing with argon2id for every kind of person who signs in (users, survey respondents).

Parameters: argon2id, m=19 MiB, t=2, p=1 — the OWASP Password Storage Cheat Sheet's first listed
argon2id configuration ("a minimum configuration of 19 MiB of memory, an iteration count of 2, and
1 degree of parallelism"), within RFC 9106 §4's advice to lower memory and raise passes when
memory is scarce. Until issue 15 every hash used argon2-cffi's default, RFC 9106's second
recommended option (m=64 MiB, t=3, p=4): 64 MiB a hash, about 200 ms of CPU on this machine's
cores against 25 ms now, which took an app process over its 300 MB budget when sign-ins crowded
in (docs/performance.md, load profile). Hashes made with the old parameters still verify (each
hash carries its parameters); a successful sign-in rehashes with the current ones
(`verify_and_upgrade`, argon2-cffi's check_needs_rehash), so stored hashes move over as people
sign in.

Hashing and verifying take CPU on purpose: they run in a worker thread (argon2-cffi releases the
GIL), so sign-ins never stall the event loop and every other request. They run in their own pool of
HASHING_AT_ONCE threads (the rest wait their turn), so a crowd of sign-ins neither takes every core
from the other requests nor grows the process by a hash's memory per thread: glibc keeps what a
thread's arena freed for that thread's next allocation, and in the default pool (six threads here)
six arenas each kept a 19 MiB block, 114 MiB that never went back (the load profile's app at 368 MB)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from govstat.platform.errors import InvalidInput

MEMORY_KIB = 19 * 1024
PASSES = 2
LANES = 1
_hasher = PasswordHasher(time_cost=PASSES, memory_cost=MEMORY_KIB, parallelism=LANES, type=Type.ID)
PARAMETERS = f"argon2id m={MEMORY_KIB // 1024} MiB, t={PASSES}, p={LANES}"
# A real hash to verify against when the login is unknown, so timing does not reveal which logins exist.
_DUMMY = _hasher.hash("govstat-dummy-password")

MIN_LENGTH = 12
HASHING_AT_ONCE = 2
_pool = ThreadPoolExecutor(HASHING_AT_ONCE, thread_name_prefix="argon2")  # any event loop may use it


def _hash(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise InvalidInput.field("password", f"{MIN_LENGTH}文字以上にしてください / at least {MIN_LENGTH} characters")
    return _hasher.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _verify_and_upgrade(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    if not _verify(password_hash, password) or password_hash is None:
        return False, None
    return True, None if not _hasher.check_needs_rehash(password_hash) else _hasher.hash(password)


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_pool, _hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_pool, _verify, password_hash, password)


async def verify_and_upgrade(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, a new hash to store): the new hash when the password matches a hash made with
    other parameters than today's, else None. Store it in the same place the old one was read from."""
    return await asyncio.get_running_loop().run_in_executor(_pool, _verify_and_upgrade, password_hash, password)

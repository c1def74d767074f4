"""Password hashing with argon2id for every kind of person who signs in (users, survey respondents):
argon2-cffi's defaults are argon2id, RFC 9106 low-memory profile.

Hashing and verifying take tens of milliseconds of CPU on purpose: they run in a worker thread
(argon2-cffi releases the GIL), so sign-ins never stall the event loop and every other request.
Each one also takes 64 MiB for its moment; at most HASHING_AT_ONCE run at once in a process (the
rest wait their turn), so that a crowd of sign-ins neither grows the process by 64 MiB per
sign-in (the load profile saw 430 MB, issue 15) nor takes every core from the other requests."""

from __future__ import annotations

import asyncio
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from govstat.platform.errors import InvalidInput

_hasher = PasswordHasher()
# A real hash to verify against when the login is unknown, so timing does not reveal which logins exist.
_DUMMY = _hasher.hash("govstat-dummy-password")

MIN_LENGTH = 12
HASHING_AT_ONCE = 2
_slots = threading.BoundedSemaphore(HASHING_AT_ONCE)  # taken in the worker thread: any event loop


def _hash(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise InvalidInput.field("password", f"{MIN_LENGTH}文字以上にしてください / at least {MIN_LENGTH} characters")
    with _slots:
        return _hasher.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        with _slots:
            return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(_verify, password_hash, password)

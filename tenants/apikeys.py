"""API keys for agencies' own systems: shown once, stored hashed, revocable.

A key is `gsk_<prefix>_<secret>` with 256 random bits. Because the secret is
random (not chosen by a person) a keyed SHA-256 is enough to store it and keeps
argon2's deliberate slowness off every API call; passwords use argon2id.
"""

from __future__ import annotations

import hmac
import secrets

from govstat.platform.settings import get_settings

PREFIX = "gsk"


def new_api_key() -> tuple[str, str, str]:
    """Returns (token shown once, prefix stored and indexed, hash stored)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = f"{PREFIX}_{prefix}_{secret}"
    return token, prefix, hash_token(token)


def hash_token(token: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.digest(key, token.encode(), "sha256").hex()  # one call in C (hmac.new builds an object per call)


def parse_token(token: str) -> str | None:
    """The prefix of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 12:
        return None
    return parts[1]


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)

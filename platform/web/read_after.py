"""Read-your-writes with replicas: a client's reads after its own write see that write.

A request that may write (POST, PUT, PATCH, DELETE, or a GET declared `public(..., writes=True)`) on a
process with replicas gets, once its unit of work has committed, a cookie holding the primary's WAL
position just after the commit, signed with GOVSTAT_SECRET_KEY and kept GOVSTAT_READ_YOUR_WRITES_SECONDS.
A public read that carries it goes only to a replica whose last lag check found that position
replayed (platform/db/replicas.py), else to the primary: an agency that publishes and at once opens
its public page sees the publication, and its reads return to the replicas as soon as they have
caught up (typically the next check, a quarter of a second), not when the cookie expires.

A cookie, not a server-side flag: it costs no round trip, follows the browser (sessions and the
anonymous alike), and its effect ends by itself. Forged or altered, its signature fails and it is
ignored; replayed, it only sends reads to the primary until the replicas pass its position. API
clients that keep no cookies read their own writes through their own (primary) routes.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.types import Message, Scope

from govstat.platform.db import replicas
from govstat.platform.module import declared_access
from govstat.platform.settings import get_settings

COOKIE = "govstat_read_after"
SCOPE_KEY = "govstat.commit_lsn"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _sign(lsn: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"read-after:" + lsn.encode(), hashlib.sha256).hexdigest()[:24]


def value(lsn: int) -> str:
    text = format(lsn, "x")
    return f"{text}.{_sign(text)}"


def after_lsn(request: ASGIConnection[Any, Any, Any, Any]) -> int:
    """The WAL position this client's reads must see (0: none, or not a valid cookie)."""
    raw = request.cookies.get(COOKIE, "")
    text, _, sig = raw.partition(".")
    if not sig or len(text) > 16 or not hmac.compare_digest(sig, _sign(text)):
        return 0
    try:
        return int(text, 16)
    except ValueError:
        return 0


def tracks(request: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether this request's commit should be remembered for the client's next reads."""
    if not replicas.active() or get_settings().read_your_writes_seconds == 0:
        return False
    if request.scope.get("method") in UNSAFE:
        return True
    access = declared_access(request.scope["route_handler"].opt)
    return access is not None and access.writes


def note(request: ASGIConnection[Any, Any, Any, Any], lsn: int | None) -> None:
    if lsn is not None:
        request.scope[SCOPE_KEY] = lsn  # type: ignore[literal-required]


async def read_after_cookie(message: Message, scope: Scope) -> None:
    """The app's before_send hook: the cookie on the answer of a request that committed a write."""
    lsn = scope.get(SCOPE_KEY)
    if message["type"] != "http.response.start" or not isinstance(lsn, int):
        return
    s = get_settings()
    cookie = f"{COOKIE}={value(lsn)}; Max-Age={s.read_your_writes_seconds}; Path=/; HttpOnly; SameSite=Lax"
    message["headers"] = [
        *(message.get("headers") or []),
        (b"set-cookie", (cookie + ("; Secure" if s.cookie_secure else "")).encode()),
    ]

"""The gateway's own Redis connection (issue 15): one connection per process, pipelined.

Every admission check (ratelimit.py) and every batch of completions (completions.py) is packed by
hiredis (C) and queued; what is queued in one turn of the event loop goes out as one socket
write, and the replies, which Redis sends in order, resolve the callers' futures straight from the
protocol's `data_received`. Nothing on this path borrows a pooled connection: redis-py's pool
checked each borrowed connection with a zero-timeout read (a cancelled read per call), read each
reply under its own timeout, and ran its command bookkeeping in Python; the profile of the gateway
under load showed those, not Redis, as the gateway's Redis cost.

Failures are as before: a refused or lost connection, or a reply later than `timeout` seconds,
fails every call then in flight with a redis ConnectionError or TimeoutError (the gateway's
policy applies: reads pass, writes 503; completions go to the outbox); the next call connects
again. A command that reached Redis before the connection broke may have run: the callers' event
ids make that harmless (the outbox takes an event id once).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import deque
from typing import Any, cast

import hiredis
from redis.asyncio import Redis
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

# A lazy command (completions: the call is durable already, by its open record) waits at most this
# long for a write to go with. 5 ms made most completions at a modest rate (100-200 calls/s) a write,
# a Redis wake-up and a read of their own; 25 ms lets nearly all of them ride with the next admission.
LAZY_S = 0.025


class Wire(asyncio.Protocol):
    def __init__(self, redis: Redis, timeout: float = 2.0) -> None:
        pool = redis.connection_pool
        self._kwargs: dict[str, Any] = dict(pool.connection_kwargs)
        self._class = pool.connection_class
        self.timeout = float(self._kwargs.get("socket_timeout") or timeout)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._transport: asyncio.Transport | None = None
        self._ready = False  # connected, and the hello (AUTH, SELECT) answered
        self._connecting: asyncio.Task[None] | None = None
        self._reader = hiredis.Reader(replyError=ResponseError)
        self._out: list[bytes] = []  # packed commands not yet written ...
        self._queued: list[asyncio.Future[Any]] = []  # ... and their callers
        self._sent: deque[tuple[asyncio.Future[Any], float]] = deque()  # written, awaiting their replies
        self._flush_at: asyncio.Handle | None = None
        self._lazy_at: asyncio.TimerHandle | None = None
        self._watch: asyncio.TimerHandle | None = None
        self._lost_because: Exception | None = None

    def call(self, *args: Any, lazy: bool = False) -> asyncio.Future[Any]:
        """The reply to one command (bytes, int, list ...; an error reply raises), sent with the
        other commands of this turn of the event loop; `lazy`: with the next write that goes anyway
        (an admission), or after `LAZY_S` at the latest. Every write wakes Redis and costs a system
        call on both sides: the completions of answered calls need not go at once."""
        return self.send(hiredis.pack_command(args), lazy=lazy)

    def send(self, command: bytes, *, lazy: bool = False) -> asyncio.Future[Any]:
        """As `call`, for a command already packed (`resp_head`, `resp_args`, `resp_bulk`): the
        gateway's two commands on every call keep their constant parts packed once."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._forget(loop)  # left from a loop that has ended (tests run several)
        future: asyncio.Future[Any] = loop.create_future()
        self._out.append(command)
        self._queued.append(future)
        if not self._ready:
            if self._connecting is None:  # its own empty context: not one of the request's units of work
                self._connecting = loop.create_task(self._connect(), context=contextvars.Context())
        elif self._flush_at is None:
            if not lazy:
                self._flush_at = loop.call_soon(self._flush)
            elif self._lazy_at is None:
                self._lazy_at = loop.call_later(LAZY_S, self._flush)
        return future

    async def close(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
        if self._transport is not None:
            self._transport.close()
            self._transport, self._ready = None, False

    # -- the connection ---------------------------------------------------------------------------

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        kw = self._kwargs
        try:
            async with asyncio.timeout(float(kw.get("socket_connect_timeout") or self.timeout)):
                if issubclass(self._class, UnixDomainSocketConnection):
                    await loop.create_unix_connection(lambda: self, kw["path"])
                else:
                    ssl = True if issubclass(self._class, SSLConnection) else None
                    await loop.create_connection(
                        lambda: self, kw.get("host", "localhost"), kw.get("port", 6379), ssl=ssl
                    )
                hello = []
                if kw.get("password"):
                    auth = ("AUTH", kw["username"], kw["password"]) if kw.get("username") else ("AUTH", kw["password"])
                    hello.append(self._now(auth))
                if kw.get("db"):
                    hello.append(self._now(("SELECT", kw["db"])))
                for reply in hello:  # before anything queued: a command must never run in the wrong database
                    await reply
        except BaseException as exc:
            failure = exc if isinstance(exc, Exception) else RedisConnectionError("connect cancelled")
            if self._transport is not None:
                self._transport.abort()
            self._fail_queued(_as_redis_error(failure))
            if not isinstance(exc, Exception):
                raise
        else:
            self._ready = True
            self._flush()
        finally:
            self._connecting = None

    def _now(self, args: tuple[Any, ...]) -> asyncio.Future[Any]:
        """A command written at once, ahead of the queue (the connection's hello)."""
        assert self._loop is not None and self._transport is not None
        future: asyncio.Future[Any] = self._loop.create_future()
        self._transport.write(hiredis.pack_command(args))
        self._sent.append((future, time.monotonic()))
        self._watch_replies()
        return future

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's transports are not asyncio's classes
        self._reader = hiredis.Reader(replyError=ResponseError)
        self._lost_because = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport, self._ready = None, False
        reason = self._lost_because or RedisConnectionError(f"Redis connection lost: {exc or 'closed'}")
        sent, self._sent = self._sent, deque()
        for future, _ in sent:
            if not future.done():
                future.set_exception(reason)
        if self._connecting is None:  # not yet written: no connection will take them unless asked
            self._fail_queued(reason)
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def data_received(self, data: bytes) -> None:
        self._reader.feed(data)
        sent = self._sent
        while True:
            try:
                reply = self._reader.gets()
            except hiredis.ProtocolError as exc:
                self._lose(RedisConnectionError(f"Redis protocol error: {exc}"))
                return
            if reply is False:
                return
            future = sent.popleft()[0]
            if future.done():  # the caller gave up (cancelled)
                continue
            if isinstance(reply, ResponseError):
                future.set_exception(NoScriptError(str(reply)) if str(reply).startswith("NOSCRIPT") else reply)
            else:
                future.set_result(reply)

    # -- writing, and replies that do not come -----------------------------------------------------

    def _flush(self) -> None:
        self._flush_at = None
        if self._lazy_at is not None:
            self._lazy_at.cancel()
            self._lazy_at = None
        if not self._ready or self._transport is None or not self._out:
            return
        out, self._out = self._out, []
        queued, self._queued = self._queued, []
        now = time.monotonic()
        self._sent.extend((future, now) for future in queued)
        self._transport.write(out[0] if len(out) == 1 else b"".join(out))
        self._watch_replies()

    def _watch_replies(self) -> None:
        if self._watch is None and self._sent and self._loop is not None:
            self._watch = self._loop.call_at(self._loop.time() + self.timeout, self._check_replies)

    def _check_replies(self) -> None:
        """Once per `timeout` while replies are awaited: the oldest one late ends the connection."""
        self._watch = None
        if not self._sent:
            return
        late = time.monotonic() - self._sent[0][1]
        if late >= self.timeout:
            self._lose(RedisTimeoutError(f"no reply from Redis in {self.timeout:g} s"))
            return
        assert self._loop is not None
        self._watch = self._loop.call_at(self._loop.time() + self.timeout - late, self._check_replies)

    def _lose(self, reason: Exception) -> None:
        self._lost_because = reason
        if self._transport is not None:
            self._transport.abort()  # connection_lost fails every call in flight with `reason`

    def _fail_queued(self, exc: Exception) -> None:
        queued, self._queued, self._out = self._queued, [], []
        for future in queued:
            if not future.done():
                future.set_exception(exc)

    def _forget(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._transport, self._connecting, self._flush_at, self._watch = loop, None, None, None, None
        self._lazy_at = None
        self._ready = False
        self._out, self._queued, self._sent = [], [], deque()


def resp_head(count: int) -> bytes:
    """The start of a command of `count` arguments, the name included (RESP: what hiredis writes)."""
    return b"*%d\r\n" % count


def resp_args(*args: Any) -> bytes:
    """Arguments packed as hiredis packs them (str as UTF-8, numbers by their repr), without the
    command's count: a constant part packed once, joined with `resp_head` and `resp_bulk` per call.
    hiredis formats each argument's length with sprintf: 31 K of the ~320 K instructions the gateway
    adds to a call when whole commands were packed per call (docs/performance.md, a sixth pass)."""
    packed: bytes = hiredis.pack_command(args)
    return packed[packed.index(b"\r\n") + 2 :]


def resp_bulk(value: bytes) -> bytes:
    """One argument that varies per call, packed."""
    return b"$%d\r\n%s\r\n" % (len(value), value)


def _as_redis_error(exc: Exception) -> Exception:
    if isinstance(exc, (RedisConnectionError, RedisTimeoutError)):
        return exc
    if isinstance(exc, TimeoutError):
        return RedisTimeoutError(f"connecting to Redis timed out ({exc})")
    return RedisConnectionError(f"cannot connect to Redis: {exc}")

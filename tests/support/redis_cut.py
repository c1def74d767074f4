"""A TCP proxy in front of the real Redis that loses the connection right after a chosen command has
reached Redis: the crash of a process between two Redis calls, made on purpose (review h20).

The proxy reads the client's RESP commands one by one and forwards each; once it has forwarded a
command named in `cut_after` (and Redis has answered it), it closes both sides and accepts no more
connections. What a client queued in a MULTI is then discarded by Redis, as on a real crash; what it
sent as separate calls stays half done."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator

from redis.asyncio import Redis


async def _command(reader: asyncio.StreamReader) -> bytes:
    """One RESP array of bulk strings, as the bytes read (redis-py sends nothing else)."""
    head = await reader.readline()
    if not head.startswith(b"*"):
        raise ConnectionError("not a RESP array")
    raw = bytearray(head)
    for _ in range(int(head[1:])):
        size_line = await reader.readline()
        raw += size_line
        raw += await reader.readexactly(int(size_line[1:]) + 2)
    return bytes(raw)


def _name(raw: bytes) -> str:
    return raw.split(b"\r\n")[2].decode().upper()


class CutProxy:
    def __init__(self, port: int, *cut_after: str) -> None:
        self.port = port
        self.cut_after = {name.upper() for name in cut_after}
        self.cut = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self.cut.is_set():
            client_w.close()
            return
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.port)
        back = asyncio.create_task(self._pump(server_r, client_w))
        try:
            while not self.cut.is_set():
                raw = await _command(client_r)
                server_w.write(raw)
                await server_w.drain()
                if _name(raw) in self.cut_after:
                    await asyncio.sleep(0.2)  # Redis has run it (and answered); then the "crash"
                    self.cut.set()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            back.cancel()
            for w in (server_w, client_w):
                w.close()

    async def _pump(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await r.read(65536):
                if self.cut.is_set():
                    return  # the replies after the crash never reach the client
                w.write(data)
                await w.drain()

    @contextlib.asynccontextmanager
    async def client(self, db: int) -> AsyncIterator[Redis]:
        """A redis-py client through the proxy (no retries: the crash is final)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        r = Redis(host="127.0.0.1", port=port, db=db, socket_timeout=2, retry_on_error=[], retry=None)
        try:
            yield r
        finally:
            with contextlib.suppress(Exception):
                await r.aclose()
            self._server.close()


class DropReplyOnce:
    """A proxy in a thread of its own (an app process started synchronously can reach it) that
    forwards everything, except that the first command holding `marker` reaches Redis and runs while
    its reply is dropped and the connection lost: a command run whose caller never learns it (review
    h21). Later connections pass as usual."""

    def __init__(self, port: int, marker: bytes) -> None:
        self.redis_port, self.marker = port, marker
        self.dropped = threading.Event()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> DropReplyOnce:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.redis_port)
        silent = asyncio.Event()
        back = asyncio.create_task(self._pump(server_r, client_w, silent))
        try:
            while True:
                raw = await _command(client_r)
                drop = not self.dropped.is_set() and self.marker in raw
                if drop:
                    silent.set()  # no reply from here on reaches the client
                server_w.write(raw)
                await server_w.drain()
                if drop:
                    await asyncio.sleep(0.2)  # Redis has run it
                    self.dropped.set()
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            back.cancel()
            for w in (server_w, client_w):
                w.close()

    @staticmethod
    async def _pump(r: asyncio.StreamReader, w: asyncio.StreamWriter, silent: asyncio.Event) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await r.read(65536):
                if silent.is_set():
                    return
                w.write(data)
                await w.drain()

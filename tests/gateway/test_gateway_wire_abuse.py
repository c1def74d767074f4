"""The pipelined wire (gateway/wire.py) under a crowd: callers that give up (a client disconnects, a
timeout) never shift the replies of the others, an error reply mid-pipeline is its caller's alone,
and a Redis that restarts with commands in flight fails those calls and serves the next ones."""

import asyncio
import contextlib
import random
import shutil
import socket
import subprocess
import tempfile
import uuid

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from govstat.gateway.wire import Wire
from govstat.platform.cache import redis_client


async def test_callers_cancelled_queued_or_in_flight_never_shift_the_others_replies():
    wire = Wire(redis_client())
    rng = random.Random(7)
    try:
        for _ in range(20):
            tokens = [uuid.uuid4().hex for _ in range(200)]
            calls = [asyncio.ensure_future(wire.call("ECHO", t)) for t in tokens]
            # some give up before the write, some after it, some never
            for i in rng.sample(range(200), 40):
                calls[i].cancel()
            await asyncio.sleep(0)
            for i in rng.sample(range(200), 40):
                calls[i].cancel()
            got = await asyncio.gather(*calls, return_exceptions=True)
            for token, reply in zip(tokens, got, strict=True):
                assert isinstance(reply, asyncio.CancelledError) or reply == token.encode()
            assert await wire.call("ECHO", "after") == b"after"
    finally:
        await wire.close()


async def test_two_hundred_clients_with_errors_and_timeouts_mid_pipeline_each_get_their_own_reply():
    wire, key = Wire(redis_client()), f"test:wire:{uuid.uuid4().hex[:8]}"
    await redis_client().set(key, "text")

    async def client(i: int) -> None:
        for n in range(20):
            token = f"{i}:{n}"
            if (i + n) % 7 == 0:
                with pytest.raises(ResponseError):  # WRONGTYPE, in the middle of others' commands
                    await wire.call("HGET", key, token)
            elif (i + n) % 5 == 0:
                with contextlib.suppress(TimeoutError):  # gives up while its reply is on the way
                    async with asyncio.timeout(0):
                        await wire.call("ECHO", token)
            else:
                assert await wire.call("ECHO", token) == token.encode()

    try:
        await asyncio.gather(*(client(i) for i in range(200)))
    finally:
        await redis_client().delete(key)
        await wire.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _redis_server(port: int, workdir: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
    )
    probe = Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        with contextlib.suppress(Exception):
            if await probe.ping():
                break
        await asyncio.sleep(0.05)
    await probe.aclose()
    return server


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
async def test_a_redis_restarted_with_commands_in_flight_fails_them_and_serves_the_next():
    port = _free_port()
    with tempfile.TemporaryDirectory() as workdir:
        server = await _redis_server(port, workdir)
        wire = Wire(Redis(host="127.0.0.1", port=port, socket_timeout=1.0))
        try:
            assert await wire.call("SET", "k", "before") == b"OK"
            in_flight = [wire.call("BLPOP", "never", 5) for _ in range(5)] + [wire.call("ECHO", "x")]
            await asyncio.sleep(0.1)
            server.kill()  # Redis gone with six commands unanswered
            server.wait()
            for call in in_flight:
                with pytest.raises((RedisConnectionError, RedisTimeoutError)):
                    await call
            with pytest.raises((RedisConnectionError, RedisTimeoutError)):
                await wire.call("PING")  # nothing listens: refused, at once
            server = await _redis_server(port, workdir)
            tokens = [uuid.uuid4().hex for _ in range(50)]
            assert await asyncio.gather(*(wire.call("ECHO", t) for t in tokens)) == [t.encode() for t in tokens]
            assert await wire.call("GET", "k") is None  # a new, empty Redis
        finally:
            await wire.close()
            server.kill()
            server.wait()

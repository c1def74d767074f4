"""The gateway's own pipelined Redis connection (gateway/wire.py, issue 15): replies reach their own
callers, a lazy command goes with the next write or on its own soon after, and a connection that
breaks or a Redis that does not answer fails the calls in flight (the gateway's Redis-down policy
then applies) and the next call connects again."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from govstat.gateway.wire import LAZY_S, Wire
from govstat.platform.cache import redis_client


async def test_pipelined_replies_reach_their_callers_and_an_error_only_its_own():
    wire, key = Wire(redis_client()), f"test:wire:{uuid.uuid4().hex[:8]}"
    try:
        replies = await asyncio.gather(
            *(wire.call("INCR", key) for _ in range(50)), wire.call("HGET", key, "x"), return_exceptions=True
        )
        assert replies[:50] == list(range(1, 51))  # in order, one each
        assert isinstance(replies[50], ResponseError)  # WRONGTYPE: that call's alone
        assert await wire.call("GET", key) == b"50"  # the connection stayed in step
        lazy = wire.call("INCR", key, lazy=True)
        await asyncio.sleep(LAZY_S * 4)
        assert lazy.done() and lazy.result() == 51  # no other write came: it went on its own
    finally:
        await redis_client().delete(key)
        await wire.close()


async def test_a_broken_connection_fails_the_calls_in_flight_and_the_next_call_reconnects():
    wire = Wire(redis_client())
    try:
        own_id = await wire.call("CLIENT", "ID")
        in_flight = wire.call("BLPOP", f"test:wire:{uuid.uuid4().hex[:8]}", 2)  # waits in Redis
        await asyncio.sleep(0.1)
        await redis_client().client_kill_filter(_id=own_id)  # only the wire's own connection
        with pytest.raises(RedisConnectionError):
            await in_flight
        assert await wire.call("PING") == b"PONG"
        assert await wire.call("CLIENT", "ID") != own_id
    finally:
        await wire.close()


async def test_a_redis_that_does_not_answer_times_out_and_one_that_refuses_fails_at_once():
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1 << 16)  # takes the command, never answers
        await asyncio.sleep(5)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    wire = Wire(Redis(host="127.0.0.1", port=port, socket_timeout=0.3))
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(RedisTimeoutError):
            await wire.call("PING")
        assert asyncio.get_running_loop().time() - started < 1.5
    finally:
        await wire.close()
        server.close()
    refused = Wire(Redis(host="127.0.0.1", port=1, socket_timeout=0.3))
    with pytest.raises(RedisConnectionError):
        await refused.call("PING")


async def test_commands_packed_in_parts_are_hiredis_own_bytes_and_run_in_redis():
    """The gateway packs its two per-call commands' constant parts once (resp_args) and the rest per
    call (resp_bulk): the bytes are those hiredis packs from the whole argument list, and Redis runs them."""
    import hiredis

    from govstat.gateway.wire import resp_args, resp_bulk, resp_head

    key, value = f"test:wire:{uuid.uuid4().hex[:8]}", "é 1.5".encode()
    whole = ("SET", key, value, "PX", 60_000, "GET")
    parts = resp_head(len(whole)) + resp_args("SET", key) + resp_bulk(value) + resp_args("PX", 60_000, "GET")
    assert parts == hiredis.pack_command(whole)
    rates = ("EVALSHA", "0" * 40, 1, key, 0.006, 6000.0, 1 / 3)  # floats as the limit's interval and tolerance
    assert resp_head(7) + resp_args(*rates[:4]) + resp_args(*rates[4:]) == hiredis.pack_command(rates)
    wire = Wire(redis_client())
    try:
        assert await wire.send(parts) is None  # SET ... GET: no value before
        assert await wire.call("GET", key) == value
        assert await wire.send(resp_head(2) + resp_args("GET") + resp_bulk(key.encode())) == value
    finally:
        await redis_client().delete(key)
        await wire.close()

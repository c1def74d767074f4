"""Outage or bug: what the long-running processes wait out, and how little an outage writes to the log."""

import logging

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, MessageSizeTooLargeError
from redis.exceptions import ConnectionError as RedisConnectionError

from govstat.platform.errors import Conflict, Unavailable
from govstat.platform.resilience import Outage, RepeatFilter, is_outage, service_of


def test_outages_are_told_from_bugs():
    for exc in (
        ConnectionRefusedError(111, "refused"),
        TimeoutError(),
        Unavailable("database unavailable"),
        RedisConnectionError("Error 111"),
        KafkaConnectionError("closed"),
        KafkaTimeoutError(),
        asyncpg.CannotConnectNowError("starting up"),
        asyncpg.InterfaceError("connection is closed"),
    ):
        assert is_outage(exc), exc
    for exc in (
        MessageSizeTooLargeError(),
        RuntimeError("a bug"),
        Conflict("already exists"),
        asyncpg.UniqueViolationError("dup"),
        asyncpg.InterfaceError("another operation is in progress"),
    ):
        assert not is_outage(exc), exc
    assert service_of(RedisConnectionError("x"), "kafka") == "redis"
    assert service_of(Unavailable("x"), "kafka") == "postgres"
    assert service_of(ConnectionRefusedError(), "kafka") == "kafka"


def _record(name: str, msg: str = "Unable connect to node with id %s") -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, (1,), None)


def test_reconnect_chatter_is_let_through_once_and_muted_during_a_known_outage():
    repeat = RepeatFilter(window=60)
    assert repeat.filter(_record("aiokafka"))
    assert not any(repeat.filter(_record("aiokafka")) for _ in range(1000))  # the same message again: muted
    assert repeat.filter(_record("aiokafka", "another message"))
    assert all(repeat.filter(_record("govstat.relay")) for _ in range(3))  # our own lines are not filtered
    outage = Outage("kafka")
    Outage._all["kafka"] = outage
    try:
        outage.down("test", ConnectionRefusedError())
        assert not repeat.filter(_record("aiokafka.conn", "a new message"))  # known outage: logged once already
        outage.up("test")
        assert repeat.filter(_record("aiokafka.conn", "a new message"))
    finally:
        Outage._all.pop("kafka", None)

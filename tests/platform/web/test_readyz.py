"""/readyz (issue 8): "ok" or "error" per check and nothing more (the reason goes to the log, not to
whoever probes), at most one Kafka round trip per few seconds however often it is called, and a 503
that says when to come back."""

from __future__ import annotations

import msgspec
import pytest

from govstat.platform.settings import get_settings, set_settings
from govstat.platform.web import health


@pytest.fixture
def fresh_kafka_check():
    health._check_kafka.checked_at = -1e9  # forget any result an earlier test left
    before = get_settings()
    yield
    set_settings(before)
    health._check_kafka.checked_at = -1e9


async def test_a_failing_check_says_error_without_the_exception_text(client, fresh_kafka_check):
    set_settings(msgspec.structs.replace(get_settings(), kafka_bootstrap="127.0.0.1:1"))  # nothing listens
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.headers["retry-after"]
    assert r.json() == {"status": "not ready", "checks": {"postgres": "ok", "redis": "ok", "kafka": "error"}}


async def test_the_kafka_check_is_reused_for_a_few_seconds(client, fresh_kafka_check):
    assert (await client.get("/readyz")).json()["checks"]["kafka"] == "ok"
    # The broker "goes away" for the next callers: they are answered from the check just made,
    # not with a new admin client each.
    set_settings(msgspec.structs.replace(get_settings(), kafka_bootstrap="127.0.0.1:1"))
    for _ in range(5):
        r = await client.get("/readyz")
        assert r.status_code == 200 and r.json()["checks"]["kafka"] == "ok"
    health._check_kafka.checked_at = -1e9  # the few seconds are over
    assert (await client.get("/readyz")).json()["checks"]["kafka"] == "error"

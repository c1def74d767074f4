"""Subscriptions are in force by the date in Japan, whatever the server's TZ (hardening issue 8).

Before, the gateway compared with `date.today()`, the server's local date: on a server in UTC-8 a
subscription starting today in Japan was refused for up to 17 hours (and one ending today, in force
too long on a server east of Japan)."""

import datetime as dt
import os
import time
from contextlib import contextmanager

from govstat.platform.clock import JST, now_jst, today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.tenants import schemas, subscriptions
from tests.support import factories as f

# Between them, one of these has a local date other than Japan's at any moment of the day.
FAR_ZONES = ("Etc/GMT+12", "Pacific/Kiritimati")


@contextmanager
def server_timezone(name: str):
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def _zone_off_japan() -> str:
    for name in FAR_ZONES:
        with server_timezone(name):
            if dt.date.today() != today_jst():
                return name
    raise AssertionError("no zone with another date")


def test_today_jst_is_japans_date_in_any_server_timezone():
    for name in FAR_ZONES:
        with server_timezone(name):
            assert today_jst() == dt.datetime.now(dt.UTC).astimezone(JST).date()
            assert now_jst().utcoffset() == dt.timedelta(hours=9)


async def test_a_subscription_for_today_in_japan_is_in_force_on_a_server_elsewhere(client):
    t = await f.make_tenant(modules=())
    today = today_jst()
    async with UnitOfWork(f.OPERATOR) as uow:
        row = await subscriptions.subscribe(
            uow, t.id, schemas.SubscriptionIn(module_key="area", starts_on=today), {"area"}
        )
        # in force exactly on Japan's today: starts today, ends (exclusive) tomorrow
        await uow.execute("UPDATE subscription SET ends_on = $2 WHERE id = $1", row.id, today + dt.timedelta(days=1))
    zone = _zone_off_japan()
    with server_timezone(zone):
        assert dt.date.today() != today
        async with UnitOfWork(f.OPERATOR) as uow:
            active = await subscriptions.active_subscriptions(uow, t.id)
        assert [s.module_key for s in active] == ["area"], zone
        await f.sign_in(client, t.admin_login)
        r = await client.get("/api/area/export")  # needs the `area` subscription (gateway)
        assert r.status_code == 200, (zone, r.text)


async def test_a_subscription_started_without_a_date_starts_on_japans_today(client):
    t = await f.make_tenant(modules=())
    with server_timezone(_zone_off_japan()):
        async with UnitOfWork(f.OPERATOR) as uow:
            row = await subscriptions.subscribe(uow, t.id, schemas.SubscriptionIn(module_key="area"), {"area"})
    assert row.starts_on == today_jst()

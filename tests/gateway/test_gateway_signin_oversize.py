"""An oversize login never reaches Redis, the database or the audit log (review h20).

Every sign-in attempt, failed or locked out, took its place in a Redis counter named by the login
as typed and wrote an audit event carrying it twice: one anonymous request with a 3 MB login made a
3 MB Redis key (kept 15 minutes) and a 12 MB outbox row (more than Kafka takes in one message), and
the lockout did not stop it (a locked-out attempt is audited too). No login is longer than 64
characters (users' logins; a respondent's login ID is 12), so a longer one is refused as bad input
before anything is counted or written; so is a password past any passphrase, and a `next` past
any of this site's URLs."""

import pytest

from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support import factories as f


async def _outbox_bytes_after(mark: int) -> int:
    async with UnitOfWork(Scope.system()) as uow:
        return int(
            await uow.fetchval("SELECT coalesce(max(length(payload::text)), 0) FROM outbox WHERE seq > $1", mark)
        )


@pytest.mark.parametrize("field", ["login", "password"])
@pytest.mark.parametrize("as_form", [False, True], ids=["json", "form"])
async def test_an_oversize_credential_is_refused_before_anything_is_written(client, field, as_form):
    login = f.unique("someone-") * (30_000 if field == "login" else 1)
    body = {"login": login, "password": "p" * (300_000 if field == "password" else 20)}
    mark = await f.outbox_mark()
    for _ in range(3):
        r = await (client.post("/auth/login", data=body) if as_form else client.post("/auth/login", json=body))
        assert r.status_code == 422, r.text[:300]
        assert r.json()["errors"][0]["field"] == field
    assert not await redis_client().exists(f"govstat:signin-fail:login:{login}")  # nothing counted
    assert await _outbox_bytes_after(mark) < 10_000


async def test_a_login_of_64_characters_still_signs_in_and_fails_as_usual(client):
    t = await f.make_tenant()
    ok = await client.post("/auth/login", json={"login": t.staff_login, "password": f.PASSWORD})
    assert ok.status_code == 200
    wrong = await client.post("/auth/login", json={"login": "x" * 64, "password": f.PASSWORD})
    assert wrong.status_code == 401


async def test_an_oversize_next_falls_back_to_the_portal(client):
    t = await f.make_tenant()
    data = {"login": t.staff_login, "password": f.PASSWORD, "next": "/area?" + "q" * 100_000}
    r = await client.post("/auth/login", data=data)
    assert r.status_code == 303 and r.headers["location"] == "/portal"

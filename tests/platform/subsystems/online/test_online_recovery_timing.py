"""The "forgot your password" page does the same work whether or not the login ID and the address
match (review h20: a timing oracle). It looked the respondent up in the database and queued the
mail only on a match, so a matching pair answered one round trip later: knowing a login ID (from a
letter seen on a desk), anyone could time the page to learn the respondent's e-mail address, or
whether an address is registered at all. Now the page only queues the question, and the worker
compares."""

import asyncio

import asyncpg
from arq.constants import default_queue_name

from govstat.platform.cache import redis_client
from govstat.platform.settings import get_settings
from tests.platform.subsystems.online.online_support import agency, survey_with_respondents
from tests.platform.subsystems.online.test_online_recovery import _until_mail
from tests.support.queued_jobs import clear_queued_jobs


async def _queued() -> int:
    return int(await redis_client().zcard(default_queue_name))


async def test_a_match_and_a_mismatch_do_the_same_work_and_only_the_match_is_mailed(client, mailbox):
    await clear_queued_jobs()
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=2)
    me, other = creds
    asks = [
        (me["login"], me["email"]),  # the match
        (me["login"], other["email"]),  # someone else's address
        (me["login"], "nobody@example.jp"),
        ("R00000000001", me["email"]),  # a login ID no one has
    ]
    work = []
    for login, email in asks:
        before = await _queued()
        r = await client.post("/online/forgot", data={"login": login, "email": email})
        assert r.status_code == 200 and 'id="asked"' in r.text
        work.append(await _queued() - before)
    assert work == [1, 1, 1, 1], work  # each the same: one queued question, whatever the answer
    await _until_mail(mailbox, 1)
    assert mailbox.messages[0][0] == [me["email"]]


async def test_the_page_answers_without_the_database(client):
    """The page reads no respondent: with their table locked it still answers at once (the lookup,
    and its timing, belong to the worker)."""
    await clear_queued_jobs()
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=1)
    me = creds[0]
    conn = await asyncpg.connect(get_settings().database_url)
    try:
        tx = conn.transaction()
        await tx.start()
        await conn.execute("LOCK TABLE online_respondent IN ACCESS EXCLUSIVE MODE")
        try:
            r = await asyncio.wait_for(
                client.post("/online/forgot", data={"login": me["login"], "email": me["email"]}), timeout=3
            )
            assert r.status_code == 200 and 'id="asked"' in r.text
        finally:
            await tx.rollback()
    finally:
        await conn.close()
    await clear_queued_jobs()

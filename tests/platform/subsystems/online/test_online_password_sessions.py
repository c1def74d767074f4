"""A respondent who changes their password ends every other session of theirs (review h20).

The reason to change a password is often that someone else knows it: whoever signed in with it
(a letter read by another person, a shared PC) must not keep answering, or reading the answers,
as the respondent until their session expires. The session that made the change goes on."""

from tests.platform.subsystems.online.online_support import (
    NEW_PASSWORD,
    agency,
    respondent_signed_in,
    survey_with_respondents,
)
from tests.support.factories import another_client


async def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(client, app):
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=1)
    me = creds[0]
    csrf = await respondent_signed_in(client, me)
    async with another_client(app) as intruder:
        r = await intruder.post("/auth/login", json={"login": me["login"], "password": NEW_PASSWORD})
        assert r.status_code == 200
        assert (await intruder.get("/online")).status_code == 200
        newer = "changed-because-leaked-2026"
        r = await client.post(
            "/online/password", data={"current": NEW_PASSWORD, "new": newer, "again": newer, "_csrf": csrf}
        )
        assert r.status_code == 303, r.text
        assert (await intruder.get("/online")).status_code == 401
        assert (await client.get("/online")).status_code == 200  # the one who changed it stays signed in
        # a refused change (wrong current password) ends nothing
        async with another_client(app) as other:
            assert (await other.post("/auth/login", json={"login": me["login"], "password": newer})).status_code == 200
            r = await client.post(
                "/online/password",
                data={"current": "wrong-password-x", "new": "x" * 14, "again": "x" * 14, "_csrf": csrf},
            )
            assert r.status_code == 422
            assert (await other.get("/online")).status_code == 200

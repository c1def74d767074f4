"""A recovery link serves only the password it was made for (review h20).

A link lives 30 minutes. If meanwhile the agency reissues the respondent's credential (a letter was
lost, or read by someone else) or the respondent changes the password themselves, the link made for
the old password must not set one: whoever holds the link (a mailbox read by another, a forwarded
mail) would otherwise undo the reissue and sign in, ending the respondent's sessions besides."""

import pytest

from tests.platform.subsystems.online.online_support import (
    NEW_PASSWORD,
    agency,
    respondent_signed_in,
    survey_with_respondents,
)
from tests.platform.subsystems.online.test_online_recovery import _link, _until_mail
from tests.support.queued_jobs import clear_queued_jobs


@pytest.mark.parametrize("change", ["agency reissue", "own change"])
async def test_a_link_made_before_the_password_changed_does_not_work(client, mailbox, change):
    await clear_queued_jobs()
    _, h = await agency()
    s, creds = await survey_with_respondents(client, h, n=1)
    me = creds[0]
    csrf = await respondent_signed_in(client, me)
    r = await client.post("/online/forgot", data={"login": me["login"], "email": me["email"], "_csrf": csrf})
    assert r.status_code == 200
    await _until_mail(mailbox, 1)
    token = _link(mailbox)
    if change == "agency reissue":
        r = await client.post(
            f"/api/online/surveys/{s['id']}/respondents/{me['respondent_id']}/reissue",
            headers={**h, "accept": "application/json"},
        )
        assert r.status_code == 200, r.text
        current = r.json()[0]["password"]
    else:
        current = "changed-by-myself-2026"
        r = await client.post(
            "/online/password", data={"current": NEW_PASSWORD, "new": current, "again": current, "_csrf": csrf}
        )
        assert r.status_code == 303, r.text
    client.cookies.clear()
    taken = "taken-over-by-link-2026"
    r = await client.post("/online/recover", data={"token": token, "new": taken, "again": taken})
    assert r.status_code == 422 and 'id="expired"' in r.text
    assert (await client.post("/auth/login", json={"login": me["login"], "password": taken})).status_code == 401
    assert (await client.post("/auth/login", json={"login": me["login"], "password": current})).status_code == 200

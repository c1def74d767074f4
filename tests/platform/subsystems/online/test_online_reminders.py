"""ONLINE-3 reminders: on a reminder date, one e-mail (real SMTP) to each non-respondent with an
address, none to those who answered or opted out on their page, and none twice in a day."""

import datetime as dt

from govstat.platform.subsystems.online import reminders
from tests.platform.subsystems.online.online_support import (
    first_unit,
    good_answers,
    household_survey,
    respondent_signed_in,
)
from tests.support.factories import another_client

JST = dt.timezone(dt.timedelta(hours=9))


async def test_reminders_go_to_non_respondents_who_did_not_opt_out_once_a_day(client, app, mailbox):
    today = dt.datetime.now(JST).date().isoformat()
    _, _, s, letters, p = await household_survey(client, n=3, reminder_dates=[today])
    async with another_client(app) as c1:  # H001 answers
        csrf = await respondent_signed_in(c1, letters[0])
        unit = await first_unit(c1)
        body = {
            **good_answers(p),
            f"{p}hh_name": "奈良 太郎1",
            "_csrf": csrf,
            "_action": "submit",
            "_base_version": "0",
        }
        assert (await c1.post(f"/online/units/{unit}", data=body)).status_code == 200
    async with another_client(app) as c2:  # H002 opts out
        csrf = await respondent_signed_in(c2, letters[1])
        assert (await c2.post("/online/preferences", data={"_csrf": csrf})).status_code == 200
        assert "checked" not in (await c2.get("/online/preferences")).text
    assert await reminders.send_due() >= 1
    mine = [(to, m) for to, m in mailbox.messages if to[0].startswith("h") and letters[2]["login"] in m.get_content()]
    assert [to for to, _ in mine] == [["h3@example.jp"]]
    assert "督促" in mine[0][1]["Subject"] and s["name_ja"] in mine[0][1].get_content()
    assert not [
        to
        for to, m in mailbox.messages
        if letters[0]["login"] in m.get_content() or letters[1]["login"] in m.get_content()
    ]
    count = len(mailbox.messages)
    await reminders.send_due()
    assert not [m for _, m in mailbox.messages[count:] if letters[2]["login"] in m.get_content()]

"""A respondent's draft is kept only while the survey takes answers, and only of the questionnaire's
items (review h20). Drafts were saved after the deadline (締切) and after the hand-off, when no
submission could follow, and every field of the form was sealed and stored, whatever its name, up to
the request's size limit."""

import uuid

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.online import forms, keys
from tests.platform.subsystems.online.online_support import first_unit, household_survey, respondent_signed_in
from tests.support.factories import OPERATOR


async def _signed_in(client) -> tuple[dict, str, str, str]:
    _, _, s, letters, p = await household_survey(client, n=1)
    csrf = await respondent_signed_in(client, letters[0])
    return s, csrf, await first_unit(client), p


async def _draft(unit: str) -> dict[str, str] | None:
    async with UnitOfWork(Scope.system("test")) as uow:
        row = await uow.fetchrow(
            "SELECT d.payload, k.master_key_id, k.wrapped, u.survey_id FROM online_draft d"
            " JOIN online_unit u ON u.id = d.unit_id JOIN online_survey_key k ON k.survey_id = u.survey_id"
            " WHERE d.unit_id = $1",
            uuid.UUID(unit),
        )
    if row is None:
        return None
    aes = keys.opened(row["survey_id"], keys.Wrapped(master_key_id=row["master_key_id"], wrapped=bytes(row["wrapped"])))
    return forms.open_draft(aes, uuid.UUID(unit), bytes(row["payload"]))


@pytest.mark.parametrize("closed", ["deadline", "handed off"])
async def test_no_draft_once_the_survey_no_longer_takes_answers(client, closed):
    s, csrf, unit, p = await _signed_in(client)
    change = (
        "deadline_at = now() - interval '1 minute', opens_at = now() - interval '2 days'"
        if closed == "deadline"
        else "handed_off_at = now()"
    )
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute(f"UPDATE online_survey SET {change} WHERE id = $1", uuid.UUID(s["id"]))
    r = await client.post(
        f"/online/units/{unit}",
        data={f"{p}hh_members": "3", "_csrf": csrf, "_action": "draft"},
        headers={"accept": "application/problem+json"},
    )
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert ("受付期間外" if closed == "deadline" else "引き渡されました") in r.json()["detail"]
    assert await _draft(unit) is None


async def test_a_draft_keeps_only_the_questionnaires_items_bounded(client):
    _, csrf, unit, p = await _signed_in(client)
    r = await client.post(
        f"/online/units/{unit}",
        data={f"{p}hh_members": "３", "extra": "x" * 500_000, "_csrf": csrf, "_action": "draft"},
    )
    assert r.status_code == 303, r.text
    assert await _draft(unit) == {f"{p}hh_members": "３"}
    # an item's own value is bounded too (a number: far below what a form could carry)
    r = await client.post(
        f"/online/units/{unit}",
        data={f"{p}hh_members": "1" * 100_000, "_csrf": csrf, "_action": "draft"},
    )
    assert r.status_code == 422 and 'role="alert"' in r.text and f'id="e-{p}hh_members"' in r.text
    assert await _draft(unit) == {f"{p}hh_members": "３"}  # the earlier draft stays


async def test_a_number_of_thousands_of_digits_is_an_answer_error_not_a_crash(client):
    """Past 4,300 digits Python's int() raises: the submission (and the draft's form shown again)
    answered 500; it is the item's error now."""
    _, csrf, unit, p = await _signed_in(client)
    r = await client.post(
        f"/online/units/{unit}",
        data={f"{p}hh_members": "1" * 5000, "_csrf": csrf, "_action": "submit", "_base_version": "0"},
    )
    assert r.status_code == 422 and f'id="e-{p}hh_members"' in r.text

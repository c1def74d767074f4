"""Moving an open survey to a newer version of its questionnaire (ONLINE-1 / ITEMS: 調査票の版替え),
with the answers migrated by stable item id (items/diff.py): every saved draft is re-sealed with the
answers the new version keeps, answers to removed items are dropped, and carried answers whose spec
changed are re-checked and counted for the agency. Submitted versions stay as they were sent (they are
the record); the form of a later update starts from them through the new definition. One transaction:
the survey is locked, so no hand-off and no second move runs beside it."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import Conflict, InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.items import published as items
from govstat.platform.subsystems.items.diff import Change, diff, migrate
from govstat.platform.subsystems.items.validation import clean
from govstat.platform.subsystems.online import forms, keys, surveys
from govstat.platform.subsystems.online.events import QuestionnaireMoved
from govstat.platform.subsystems.online.rows import SurveyRow


class MoveIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    version: Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class Moved(msgspec.Struct, kw_only=True):
    """The migration report: what changed between the versions and what it did to the drafts."""

    survey_id: uuid.UUID
    old_version: int
    new_version: int
    changes: list[Change]
    drafts_migrated: int
    answers_dropped: int  # answers to items the new version no longer has
    answers_to_check: int  # carried answers that the new version's rules refuse (shown to the respondent)


async def _locked(uow: UnitOfWork, survey_id: uuid.UUID) -> SurveyRow:
    w = Where(args=[survey_id]).add("s.id = $1").scoped(uow, "s.")
    row = await uow.row(SurveyRow, f"SELECT {surveys.COLUMNS} FROM online_survey s WHERE {w} FOR UPDATE", *w.args)
    if row is None:
        raise NotFound("調査が見つかりません / no such survey")
    return row


async def move(uow: UnitOfWork, survey_id: uuid.UUID, version: int) -> Moved:
    survey = await _locked(uow, survey_id)
    if survey.questionnaire_id is None or survey.questionnaire_version is None:
        raise InvalidInput.field("version", "調査票が設定されていません / the survey has no questionnaire")
    if survey.handed_off_at is not None:
        raise Conflict("引き渡し済みの調査です / the survey was already handed off")
    if version <= survey.questionnaire_version:
        raise InvalidInput.field(
            "version", f"現在の版 {survey.questionnaire_version} より新しい版を指定してください / give a newer version"
        )
    await forms.check_questionnaire(uow, survey.questionnaire_id, version, survey.unit_kind)
    old = await forms.definition(uow, survey)
    found = await items.questionnaire(uow, str(survey.questionnaire_id), version)
    assert found is not None  # check_questionnaire answered 4xx otherwise
    new = found.definition
    report = diff(old, new)
    check = {m.item_id for m in report.migration if m.action == "carry-check"}
    aes = await keys.data_key(uow, survey_id)
    drafts = await uow.fetch(
        "SELECT d.unit_id, d.payload FROM online_draft d JOIN online_unit u ON u.id = d.unit_id"
        " WHERE u.survey_id = $1 FOR UPDATE OF d",
        survey_id,
    )
    dropped = to_check = 0
    for d in drafts:
        values = forms.open_draft(aes, d["unit_id"], bytes(d["payload"]))
        kept = migrate(values, report.migration)
        dropped += len(values) - len(kept)
        to_check += len({e.item_id for e in clean(new, kept).errors} & check)
        sealed = forms.seal_draft(aes, d["unit_id"], kept)
        await uow.execute(
            "UPDATE online_draft SET payload = $2, updated_at = now() WHERE unit_id = $1", d["unit_id"], sealed
        )
    await uow.execute("UPDATE online_survey SET questionnaire_version = $2 WHERE id = $1", survey_id, version)
    moved = Moved(
        survey_id=survey_id,
        old_version=survey.questionnaire_version,
        new_version=version,
        changes=report.changes,
        drafts_migrated=len(drafts),
        answers_dropped=dropped,
        answers_to_check=to_check,
    )
    event = QuestionnaireMoved(
        survey_id=survey_id, old_version=moved.old_version, new_version=version, drafts_migrated=len(drafts)
    )
    await emit(uow, event, tenant_id=survey.tenant_id)
    await audit(
        uow,
        "online.questionnaire_moved",
        tenant_id=survey.tenant_id,
        target_type="online_survey",
        target_id=survey_id,
        module="online",
        old_version=moved.old_version,
        new_version=version,
        answers_dropped=dropped,
    )
    return moved

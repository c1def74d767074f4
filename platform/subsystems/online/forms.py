"""The questionnaire behind a survey, read once from the survey items database (a published version
never changes, so it is kept in this process), and what the form shows of one unit: the
respondent's draft, else their last submission, else the pre-printed values.

Provenance of a stored value, said by every export: `preprinted` (the pre-printed value, on a locked
field the respondent could not change), `confirmed` (the pre-printed value, kept on a field the
respondent could change), `edited` (anything the respondent typed or changed)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import msgspec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import FieldError, InvalidInput
from govstat.platform.subsystems.items import published as items
from govstat.platform.subsystems.items.definition import Definition, Question, question_map, questions
from govstat.platform.subsystems.items.validation import clean, typed_value
from govstat.platform.subsystems.online import keys
from govstat.platform.subsystems.online.rows import SurveyRow, UnitRow

# published questionnaire versions never change: kept by (id, version), the oldest dropped past the bound
_definitions: dict[tuple[uuid.UUID, int], Definition] = {}
DEFINITIONS_KEPT = 256
DRAFT_TEXT_CHARS = 100_000  # the longest max_length a questionnaire may give a text (items/schemas.py)
DRAFT_OTHER_CHARS = 200


def _keep(key: tuple[uuid.UUID, int], d: Definition) -> Definition:
    if len(_definitions) >= DEFINITIONS_KEPT:
        _definitions.pop(next(iter(_definitions)))
    _definitions[key] = d
    return d


async def definition(uow: UnitOfWork, survey: SurveyRow) -> Definition:
    if survey.questionnaire_id is None or survey.questionnaire_version is None:
        raise InvalidInput.field("questionnaire_id", "調査票が設定されていません / the survey has no questionnaire yet")
    key = (survey.questionnaire_id, survey.questionnaire_version)
    found = _definitions.get(key)
    if found is None:
        q = await items.questionnaire(uow, str(key[0]), key[1])
        if q is None:
            raise InvalidInput.field(
                "questionnaire_id", "公開された調査票の版がありません / no such published questionnaire"
            )
        found = _keep(key, q.definition)
    return found


async def check_questionnaire(uow: UnitOfWork, qid: uuid.UUID, version: int, unit_kind: str) -> None:
    q = await items.questionnaire(uow, str(qid), version)
    if q is None:
        raise InvalidInput.field(
            "questionnaire_id", "公開された調査票の版がありません / no such published questionnaire version"
        )
    if q.definition.respondent_unit != unit_kind:
        raise InvalidInput.field(
            "unit_kind",
            f"調査票の調査単位は {q.definition.respondent_unit} です / the questionnaire is for {q.definition.respondent_unit}",
        )
    _keep((qid, version), q.definition)


def preprinted(d: Definition, unit: UnitRow) -> dict[str, str]:
    """The unit's pre-printed values of the definition's pre-print questions, as text."""
    qs = question_map(d)
    return {k: str(v) for k, v in unit.preprint.items() if k in qs and qs[k].preprint}


def canonical(d: Definition, values: Mapping[str, str]) -> dict[str, str]:
    return clean(d, values).values


def provenance(d: Definition, stored: Mapping[str, str], pre: Mapping[str, str]) -> dict[str, str]:
    qs = question_map(d)
    pre_canon = {k: v for k, v in canonical(d, pre).items()} if pre else {}
    out = {}
    for item, value in stored.items():
        if item in pre_canon and pre_canon[item] == value:
            out[item] = "preprinted" if qs[item].locked else "confirmed"
        else:
            out[item] = "edited"
    return out


def aad(owner: uuid.UUID, item: str = "") -> bytes:
    return owner.bytes + item.encode()


async def draft_values(
    uow: UnitOfWork, survey_id: uuid.UUID, unit_id: uuid.UUID, key: keys.Wrapped | None
) -> dict[str, str] | None:
    """`key`: the survey's key row as read in this unit of work (`context.load`, `keys.stored`)."""
    row = await uow.fetchrow("SELECT payload FROM online_draft WHERE unit_id = $1", unit_id)
    if row is None:
        return None
    return open_draft(keys.opened(survey_id, key), unit_id, bytes(row["payload"]))


def open_draft(aes: AESGCM, unit_id: uuid.UUID, payload: bytes) -> dict[str, str]:
    return msgspec.json.decode(keys.unseal(aes, payload, aad(unit_id)), type=dict[str, str])


def seal_draft(aes: AESGCM, unit_id: uuid.UUID, values: Mapping[str, str]) -> bytes:
    return keys.seal(aes, msgspec.json.encode(dict(values)), aad(unit_id))


def draft_of(d: Definition, values: Mapping[str, str]) -> dict[str, str]:
    """What a draft keeps of a form: the questionnaire's items only, as a submission keeps (review h20: any
    other field was sealed and stored too, up to the request's size limit), each within a bound. A draft
    may hold what is not yet valid, so values are not checked, only bounded: a text answer by its
    question's length (the form's maxlength, so a browser never exceeds it), else the longest any
    questionnaire may set; any other answer (a number, date, code, yes/no) by a length none comes near."""
    kept: dict[str, str] = {}
    errors: list[FieldError] = []
    for q in questions(d):
        value = values.get(q.item_id)
        if value is None:
            continue
        bound = (q.max_length or DRAFT_TEXT_CHARS) if q.answer_type == "text" else DRAFT_OTHER_CHARS
        if len(value) > bound:
            errors.append(FieldError(q.item_id, f"{bound}文字以内にしてください / at most {bound} characters"))
        kept[q.item_id] = value
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return kept


async def save_draft(uow: UnitOfWork, unit: UnitRow, values: Mapping[str, str], aes: AESGCM) -> None:
    """`values`: as `draft_of` keeps them."""
    sealed = seal_draft(aes, unit.id, values)
    await uow.execute(
        "INSERT INTO online_draft (unit_id, tenant_id, respondent_id, payload) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (unit_id) DO UPDATE SET payload = EXCLUDED.payload, updated_at = now()",
        unit.id,
        unit.tenant_id,
        unit.respondent_id,
        sealed,
    )


async def submitted_values(
    uow: UnitOfWork, survey_id: uuid.UUID, submission_id: uuid.UUID, key: keys.Wrapped | None
) -> dict[str, tuple[str, str]]:
    """item -> (value, provenance) of one submission, decrypted (`key`: as in `draft_values`)."""
    aes = keys.opened(survey_id, key)
    rows = await uow.fetch(
        "SELECT item_id, value, provenance FROM online_answer WHERE submission_id = $1", submission_id
    )
    return {
        r["item_id"]: (keys.unseal(aes, bytes(r["value"]), aad(submission_id, r["item_id"])).decode(), r["provenance"])
        for r in rows
    }


def typed(q: Question, text: str) -> object:
    return typed_value(q, text)

"""A questionnaire definition (調査票定義): one stored, versioned document that drives the web form,
server-side validation, the printable 調査票, the codebook (DDI) and the hand-off columns (issue 10 §2).

Stable API (other parts build on it; change only additively):

    from govstat.platform.subsystems.items.definition import (
        Definition, Section, Question, CodeList, CodeOption, EditCheck, FieldError,
        RespondentUnit, AnswerType, decode, encode, check_definition, questions, question_map)
    from govstat.platform.subsystems.items.validation import validate, clean, visible_questions, Cleaned
    from govstat.platform.subsystems.items.published import questionnaire, PublishedQuestionnaire

- ``Definition``: questionnaire_id (uuid text), version (1, 2, ...), survey (the survey's key, e.g. the
  government statistic code), cycle ("2026", "2026-04"), respondent_unit (household | establishment |
  enterprise), titles ja/en, ``sections`` of ordered ``Question``s, ``code_lists``, ``edit_checks``.
- ``Question.item_id`` is the stable id of a registered survey item (answers are stored long by it,
  and versions are migrated by it); answer_type is integer | decimal | text | code | date | boolean;
  code questions name a ``CodeList`` of the definition; ``show_if`` is skip logic (expr.py language,
  over earlier items only); ``preprint`` marks a value the agency supplies per respondent and
  ``locked`` forbids the respondent to change it.
- ``EditCheck.rule`` must hold over the answers (e.g. ``employees == male + female``); its message
  names the items.
- ``decode(bytes|str)`` reads JSON (and ``decode_yaml`` YAML) into a Definition, raising
  msgspec.ValidationError; ``check_definition`` answers the structural problems (unknown code list,
  skip logic on a later item, expressions that do not parse), empty when the definition is sound.
- ``validate(definition, answers: dict[str, str], preprinted=None) -> list[FieldError]``: NFKC
  normalisation, 和暦 dates, ranges, code lists, required, locked pre-print, edit checks; questions
  hidden by skip logic are neither required nor checked. ``clean`` also answers the canonical text of
  each visible answer (ISO dates, plain numbers, codes) to store. ``visible_questions`` answers the
  questions skip logic shows, in order.
- ``published.questionnaire(uow, questionnaire_id, version=None)`` answers a published version
  (the latest published when version is None), or None.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

import msgspec
import yaml

from govstat.platform.subsystems.items.expr import ExprError, parse, refs

RespondentUnit = Literal["household", "establishment", "enterprise"]
AnswerType = Literal["integer", "decimal", "text", "code", "date", "boolean"]
ANSWER_TYPES: tuple[str, ...] = ("integer", "decimal", "text", "code", "date", "boolean")
RESPONDENT_UNITS: dict[str, str] = {"household": "世帯", "establishment": "事業所", "enterprise": "企業"}
ITEM_ID = r"^[A-Za-z][A-Za-z0-9_]{0,62}$"


class CodeOption(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label_ja: str
    label_en: str = ""


class CodeList(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # the code list's stable id (a registered code list, or "jsic:<version>" for a classification)
    version: int = 1
    name_ja: str
    name_en: str = ""
    classification_version: str | None = None  # e.g. the classification module's JSIC version key
    options: tuple[CodeOption, ...]


class Question(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    item_version: int = 1
    label_ja: str
    label_en: str = ""
    answer_type: AnswerType
    unit: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int | None = None  # text answers
    required: bool = False
    code_list: str | None = None  # CodeList.id, for answer_type "code"
    show_if: str = ""  # skip logic: shown only when this holds over earlier answers ("" = always)
    preprint: bool = False
    locked: bool = False  # a pre-printed value the respondent may not change
    help_ja: str = ""
    help_en: str = ""


class Section(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title_ja: str
    title_en: str = ""
    show_if: str = ""
    questions: tuple[Question, ...]


class EditCheck(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    rule: str  # must hold, e.g. "employees == employees_male + employees_female"
    message_ja: str = ""
    message_en: str = ""


class Definition(msgspec.Struct, frozen=True, kw_only=True):
    questionnaire_id: str = ""
    version: int = 1
    survey: str
    cycle: str
    respondent_unit: RespondentUnit
    title_ja: str
    title_en: str = ""
    sections: tuple[Section, ...]
    code_lists: tuple[CodeList, ...] = ()
    edit_checks: tuple[EditCheck, ...] = ()


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str  # the question's item id, or the edit check's id prefixed "check:"
    code: str  # required | integer | decimal | date | boolean | code | range | length | locked | check
    message_ja: str
    message_en: str


def questions(definition: Definition) -> list[Question]:
    """Every question, in questionnaire order."""
    return [q for s in definition.sections for q in s.questions]


def question_map(definition: Definition) -> dict[str, Question]:
    return {q.item_id: q for q in questions(definition)}


def encode(definition: Definition) -> bytes:
    return msgspec.json.encode(definition)


def decode(data: bytes | str) -> Definition:
    return msgspec.json.decode(data, type=Definition)


def decode_yaml(text: str) -> Definition:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise msgspec.ValidationError(f"YAML を読めません / not YAML: {exc}") from None
    return msgspec.convert(raw, type=Definition, strict=False)


def _expr_problems(where: str, text: str, earlier: set[str]) -> list[str]:
    if not text.strip():
        return []
    try:
        used = refs(parse(text))
    except ExprError as exc:
        return [f"{where}: {exc}"]
    late = sorted(used - earlier)
    return [f"{where}: 前の設問にない項目 / not an earlier item: {', '.join(late)}"] if late else []


def check_definition(definition: Definition) -> list[str]:
    """Structural problems of a definition (empty when sound), in Japanese with English."""
    problems: list[str] = []
    lists = {c.id for c in definition.code_lists}
    seen: set[str] = set()
    if not definition.sections:
        problems.append("セクションがありません / no sections")
    for s in definition.sections:
        problems += _expr_problems(f"section {s.id} show_if", s.show_if, seen)
        for q in s.questions:
            where = f"{q.label_ja} ({q.item_id})"
            if not re.match(ITEM_ID, q.item_id):
                problems.append(f"{where}: 項目IDの形式が不正 / malformed item id")
            if q.item_id in seen:
                problems.append(f"{where}: 項目が重複 / item used twice")
            if q.answer_type == "code" and q.code_list not in lists:
                problems.append(f"{where}: 符号表 {q.code_list} がありません / unknown code list")
            if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
                problems.append(f"{where}: 下限が上限を超えています / minimum above maximum")
            if q.locked and not q.preprint:
                problems.append(f"{where}: 固定はプレプリント項目のみ / only pre-printed items lock")
            problems += _expr_problems(f"{where} show_if", q.show_if, seen)
            seen.add(q.item_id)
    for c in definition.edit_checks:
        problems += _expr_problems(f"check {c.id}", c.rule, seen)
    return problems

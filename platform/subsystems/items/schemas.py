"""The items API's msgspec Structs (requests and answers). A questionnaire's own shape is
definition.py's Definition."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from govstat.platform.subsystems.items.definition import ITEM_ID, AnswerType, CodeOption, Definition

ItemId = Annotated[str, msgspec.Meta(pattern=ITEM_ID)]
ListId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Long = Annotated[str, msgspec.Meta(max_length=4000)]


class DefinitionUnitIn(msgspec.Struct, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
    name_ja: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    name_en: Short = ""
    description: Long = ""


class CodeListIn(msgspec.Struct, kw_only=True):
    id: ListId
    name_ja: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    name_en: Short = ""
    classification_version: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    options: Annotated[list[CodeOption], msgspec.Meta(max_length=5000)] = []


class ClassificationListIn(msgspec.Struct, kw_only=True):
    id: ListId
    version: Annotated[
        str, msgspec.Meta(pattern=r"^[a-z0-9-]{1,32}$")
    ]  # the classification module's version key, e.g. jsic-14
    level: Annotated[int, msgspec.Meta(ge=1, le=4)] = 1  # 1 = 大分類
    name_ja: Short = ""


class ItemIn(msgspec.Struct, kw_only=True):
    id: ItemId
    label_ja: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    label_en: Short = ""
    definition_ja: Long = ""
    definition_en: Long = ""
    answer_type: AnswerType
    unit: Annotated[str, msgspec.Meta(max_length=32)] = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: Annotated[int, msgspec.Meta(ge=1, le=100000)] | None = None
    code_list_id: ListId | None = None
    definition_unit: Annotated[str, msgspec.Meta(max_length=32)] | None = None  # 定義単位 code


class Saved(msgspec.Struct, kw_only=True):
    id: str
    version: int
    new_version: bool  # true when the former version was fixed by a published questionnaire


class ItemHit(msgspec.Struct, kw_only=True):
    id: str
    version: int
    label_ja: str
    label_en: str
    answer_type: str
    unit: str
    definition_ja: str


class ItemPage(msgspec.Struct, kw_only=True):
    total: int
    offset: int
    items: list[ItemHit]


class QuestionnaireHit(msgspec.Struct, kw_only=True):
    id: str
    version: int
    title_ja: str
    survey: str
    cycle: str
    respondent_unit: str


class QuestionnairePage(msgspec.Struct, kw_only=True):
    total: int
    offset: int
    items: list[QuestionnaireHit]


class ItemVersionDoc(msgspec.Struct, kw_only=True):
    version: int
    label_ja: str
    label_en: str
    definition_ja: str
    definition_en: str
    answer_type: str
    unit: str
    minimum: Decimal | None
    maximum: Decimal | None
    max_length: int | None
    code_list_id: str | None
    code_list_version: int | None
    fixed: bool  # used by a published questionnaire: kept as it is


class UsedIn(msgspec.Struct, kw_only=True):
    questionnaire_id: str
    version: int
    status: str
    title_ja: str
    survey: str
    cycle: str
    item_version: int


class ItemDoc(msgspec.Struct, kw_only=True):
    id: str
    current_version: int
    definition_unit: str | None
    definition_unit_name: str | None
    versions: list[ItemVersionDoc]
    code_list: CodeListDoc | None
    used_in: list[UsedIn]


class CodeListDoc(msgspec.Struct, kw_only=True):
    id: str
    version: int
    name_ja: str
    name_en: str
    classification_version: str | None
    options: list[CodeOption]


class Imported(msgspec.Struct, kw_only=True):
    definition: Definition
    not_carried: list[str]  # what of the XLSForm the definition does not hold
    notes: list[str]

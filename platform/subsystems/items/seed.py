"""The demo's household questionnaire (issue 10 §7): 総務省 registers definition units, code lists
(one of them JSIC rev.14 大分類 from the classification database), survey items with their answer
items, and builds and publishes a 国勢調査-shaped household questionnaire of them. The online survey
seeds its survey on top of DEMO_QUESTIONNAIRE_ID."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.items import questionnaires, service
from govstat.platform.subsystems.items.definition import Definition
from govstat.platform.subsystems.items.schemas import ClassificationListIn, CodeListIn, DefinitionUnitIn, ItemIn

DEMO_QUESTIONNAIRE_ID = uuid.UUID("7d1e5c52-2025-4c0e-9a11-000000000521")

UNITS = [("household", "世帯", "Household"), ("person", "世帯員", "Household member")]
LISTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "sex": ("男女", [("1", "男", "Male"), ("2", "女", "Female")]),
    "marital": (
        "配偶関係",
        [
            ("1", "未婚", "Never married"),
            ("2", "配偶者あり", "Married"),
            ("3", "死別", "Widowed"),
            ("4", "離別", "Divorced"),
        ],
    ),
    "tenure": (
        "住居の種類",
        [
            ("1", "持ち家", "Owned"),
            ("2", "公営の借家", "Public rented"),
            ("3", "民営の借家", "Private rented"),
            ("4", "給与住宅", "Issued housing"),
            ("5", "間借り", "Rented room"),
        ],
    ),
}
# id, unit, label ja, label en, definition, type, unit, min, max, extra
ITEMS: list[tuple[str, str, str, str, str, str, str, str | None, str | None, dict[str, Any]]] = [
    (
        "hh_head_name",
        "household",
        "世帯主の氏名",
        "Name of the head",
        "世帯を代表する者の氏名。",
        "text",
        "",
        None,
        None,
        {"max_length": 40},
    ),
    (
        "hh_members",
        "household",
        "世帯員の数",
        "Household members",
        "調査日現在、この世帯に常住している者の数。",
        "integer",
        "人",
        "1",
        "30",
        {},
    ),
    ("hh_male", "household", "男の数", "Males", "世帯員のうち男の数。", "integer", "人", "0", "30", {}),
    ("hh_female", "household", "女の数", "Females", "世帯員のうち女の数。", "integer", "人", "0", "30", {}),
    (
        "hh_tenure",
        "household",
        "住居の種類",
        "Tenure of dwelling",
        "世帯が住んでいる住居の所有の関係。",
        "code",
        "",
        None,
        None,
        {"code_list_id": "tenure"},
    ),
    (
        "hh_floor_area",
        "household",
        "住宅の延べ面積",
        "Floor area",
        "居住室のほか玄関・台所等を含む延べ面積。",
        "decimal",
        "㎡",
        "1",
        "9999",
        {},
    ),
    ("head_sex", "person", "男女の別", "Sex", "世帯主の男女の別。", "code", "", None, None, {"code_list_id": "sex"}),
    (
        "head_birth",
        "person",
        "出生の年月日",
        "Date of birth",
        "世帯主の出生の年月日（和暦でも記入可）。",
        "date",
        "",
        None,
        None,
        {},
    ),
    (
        "head_marital",
        "person",
        "配偶の関係",
        "Marital status",
        "届出の有無にかかわらない実際の配偶関係。",
        "code",
        "",
        None,
        None,
        {"code_list_id": "marital"},
    ),
    (
        "head_works",
        "person",
        "仕事の有無",
        "Worked",
        "調査週間中に収入を伴う仕事を少しでもしたか。",
        "boolean",
        "",
        None,
        None,
        {},
    ),
    (
        "head_hours",
        "person",
        "就業時間",
        "Hours worked",
        "調査週間中に仕事をした時間の合計。",
        "decimal",
        "時間",
        "0",
        "168",
        {},
    ),
    (
        "head_industry",
        "person",
        "勤め先の事業の種類",
        "Industry",
        "勤め先・業主などの事業の種類（日本標準産業分類 第14回改定 大分類）。",
        "code",
        "",
        None,
        None,
        {"code_list_id": "jsic14_major"},
    ),
]
QUESTIONNAIRE: dict[str, Any] = {
    "survey": "00200521",
    "cycle": "2025",
    "respondent_unit": "household",
    "title_ja": "国勢調査 調査票（世帯）デモ",
    "title_en": "Population Census household questionnaire (demo)",
    "sections": [
        {
            "id": "household",
            "title_ja": "世帯について",
            "title_en": "About the household",
            "questions": [
                {"item_id": "hh_head_name", "preprint": True, "locked": True},
                {"item_id": "hh_members", "required": True},
                {"item_id": "hh_male", "required": True},
                {"item_id": "hh_female", "required": True},
                {"item_id": "hh_tenure", "required": True},
                {"item_id": "hh_floor_area", "show_if": "hh_tenure in ('1', '2', '3', '4')"},
            ],
        },
        {
            "id": "head",
            "title_ja": "世帯主について",
            "title_en": "About the head of household",
            "questions": [
                {"item_id": "head_sex", "required": True},
                {"item_id": "head_birth", "required": True},
                {"item_id": "head_marital", "required": True},
                {
                    "item_id": "head_works",
                    "label_ja": "調査週間中に仕事をしましたか",
                    "label_en": "Did you work in the survey week?",
                    "required": True,
                },
                {"item_id": "head_hours", "required": True, "show_if": "head_works = true"},
                {"item_id": "head_industry", "required": True, "show_if": "head_works = true"},
            ],
        },
    ],
    "edit_checks": [
        {
            "id": "members_sum",
            "rule": "hh_members == hh_male + hh_female",
            "message_ja": "世帯員の数は男と女の数の合計と一致させてください",
            "message_en": "Members must equal males plus females",
        },
    ],
}


def _questions() -> Any:
    for s in QUESTIONNAIRE["sections"]:
        for q in s["questions"]:
            q.setdefault("label_ja", "")
            q.setdefault("answer_type", "text")  # the registered item's type replaces it
    return QUESTIONNAIRE


async def seed_demo(tenant: uuid.UUID) -> uuid.UUID:
    """Register the items and publish the household questionnaire as `tenant` (総務省 in the demo);
    idempotent: once per database."""
    async with UnitOfWork(Scope.system("seed")) as uow:
        if await uow.fetchval("SELECT 1 FROM items_questionnaire WHERE id = $1", DEMO_QUESTIONNAIRE_ID):
            return DEMO_QUESTIONNAIRE_ID
    async with UnitOfWork(Scope.tenant(tenant, role="agency", actor="seed")) as uow:
        for code, ja, en in UNITS:
            await service.save_definition_unit(uow, DefinitionUnitIn(code=code, name_ja=ja, name_en=en))
        for list_id, (name, options) in LISTS.items():
            opts = [{"code": c, "label_ja": ja, "label_en": en} for c, ja, en in options]
            await service.save_code_list(
                uow, msgspec.convert({"id": list_id, "name_ja": name, "options": opts}, CodeListIn)
            )
        await service.code_list_from_classification(
            uow, ClassificationListIn(id="jsic14_major", version="jsic-14", level=1)
        )
        for item_id, unit, ja, en, text, kind, measure, lo, hi, extra in ITEMS:
            body = {
                "id": item_id,
                "label_ja": ja,
                "label_en": en,
                "definition_ja": text,
                "answer_type": kind,
                "unit": measure,
            }
            body |= {"definition_unit": unit, **extra} | {
                k: v for k, v in (("minimum", lo), ("maximum", hi)) if v is not None
            }
            await service.save_item(uow, msgspec.convert(body, ItemIn, strict=False))
        definition = msgspec.convert(_questions(), Definition)
        await questionnaires.save_draft(uow, definition, new_id=DEMO_QUESTIONNAIRE_ID)
        await questionnaires.publish(uow, DEMO_QUESTIONNAIRE_ID)
    return DEMO_QUESTIONNAIRE_ID

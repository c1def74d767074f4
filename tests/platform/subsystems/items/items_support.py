"""Helpers of the items tests: a small household questionnaire definition (the same one the demo
seed builds from registered items) and the items it needs."""

from __future__ import annotations

from govstat.platform.subsystems.items.definition import Definition, decode_yaml

HOUSEHOLD_YAML = """
survey: "00200999"
cycle: "2026"
respondent_unit: household
title_ja: 世帯調査票
title_en: Household questionnaire
code_lists:
  - id: sex
    name_ja: 男女
    options:
      - {code: "1", label_ja: 男, label_en: Male}
      - {code: "2", label_ja: 女, label_en: Female}
sections:
  - id: household
    title_ja: 世帯について
    questions:
      - {item_id: hh_name, label_ja: 世帯主の氏名, answer_type: text, max_length: 40, preprint: true, locked: true}
      - {item_id: hh_members, label_ja: 世帯員数, label_en: Household members, answer_type: integer, unit: 人, minimum: 1, maximum: 30, required: true}
      - {item_id: hh_male, label_ja: 男の人数, label_en: Males, answer_type: integer, unit: 人, minimum: 0, maximum: 30}
      - {item_id: hh_female, label_ja: 女の人数, label_en: Females, answer_type: integer, unit: 人, minimum: 0, maximum: 30}
  - id: head
    title_ja: 世帯主について
    questions:
      - {item_id: head_sex, label_ja: 世帯主の男女, label_en: Sex of head, answer_type: code, code_list: sex, required: true}
      - {item_id: head_birth, label_ja: 世帯主の生年月日, label_en: Date of birth, answer_type: date, required: true}
      - {item_id: head_works, label_ja: 仕事の有無, label_en: Works, answer_type: boolean, required: true}
      - {item_id: head_hours, label_ja: 週間就業時間, label_en: Hours worked per week, answer_type: decimal, unit: 時間, minimum: 0, maximum: 168, required: true, show_if: head_works = true}
edit_checks:
  - {id: members_sum, rule: hh_members == hh_male + hh_female, message_ja: 世帯員数は男女の合計と一致しません, message_en: Members must equal males plus females}
"""


def household() -> Definition:
    return decode_yaml(HOUSEHOLD_YAML)


def items_of(definition: Definition, prefix: str = "") -> tuple[list[dict], list[dict]]:
    """The code lists and item registrations (API bodies) a definition's questions need."""
    lists = [
        {
            "id": prefix + c.id,
            "name_ja": c.name_ja,
            "options": [{"code": o.code, "label_ja": o.label_ja, "label_en": o.label_en} for o in c.options],
        }
        for c in definition.code_lists
    ]
    items = []
    for s in definition.sections:
        for q in s.questions:
            body = {
                "id": prefix + q.item_id,
                "label_ja": q.label_ja,
                "label_en": q.label_en,
                "answer_type": q.answer_type,
                "unit": q.unit,
            }
            body |= {k: str(v) for k, v in (("minimum", q.minimum), ("maximum", q.maximum)) if v is not None}
            body |= {"max_length": q.max_length} if q.max_length else {}
            body |= {"code_list_id": prefix + q.code_list} if q.code_list else {}
            items.append(body)
    return lists, items


def prefixed_yaml(prefix: str) -> str:
    """The household definition with every item id and code list id prefixed (ids are global)."""
    import re

    ids = [q.item_id for s in household().sections for q in s.questions] + ["sex"]
    return re.sub(
        r"\b(" + "|".join(sorted(ids, key=len, reverse=True)) + r")\b", lambda m: prefix + m.group(1), HOUSEHOLD_YAML
    )


async def register(client, headers: dict[str, str], prefix: str) -> None:
    lists, items = items_of(household(), prefix)
    for body in lists:
        r = await client.post("/api/items/code-lists", json=body, headers=headers)
        assert r.status_code == 201, r.text
    for body in items:
        r = await client.post("/api/items/items", json=body, headers=headers)
        assert r.status_code == 201, r.text

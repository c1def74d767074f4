"""TABLE_INF's STATISTICS_NAME_SPEC, TITLE_SPEC sub-categories and DESCRIPTION as e-Stat writes them
(issue 14 section 1), from stat_table.spec (the parameter file's `table:` keys, params_catalog.py).

lang=E answers each sub-category in English where the parameter file gave one at the same position
(`tabulation_sub_categories_en`, `table_sub_categories_en`) and in Japanese where it did not, as
e-Stat does. DESCRIPTION carries TABULATION_CATEGORY_EXPLANATION and, when the parameter file gives
them, TABULATION_SUB_CATEGORY_EXPLANATION1..5 (`tabulation_sub_category_explanations`): the element
names of e-Stat's DESCRIPTION (docs/estat-api-conformance.md, Sources)."""

from __future__ import annotations

from typing import Any


def texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def localised(spec: dict[str, Any], key: str, lang: str) -> list[str]:
    """The Japanese list `key`, each replaced by its English (`key`_en, same position) under lang=E."""
    ja = texts(spec.get(key))
    if lang != "E":
        return ja
    en = texts(spec.get(f"{key}_en"))
    return [(en[i] if i < len(en) and en[i] else name) for i, name in enumerate(ja)]


def sub_categories(spec: dict[str, Any], lang: str, key: str, element: str) -> dict[str, str]:
    """{"<element>1": name, ...} for the table's sub-categories (TABULATION_SUB_CATEGORY, TABLE_SUB_CATEGORY)."""
    return {f"{element}{i}": name for i, name in enumerate(localised(spec, key, lang), start=1)}


def description(spec: dict[str, Any], explanation: str) -> dict[str, str]:
    """DESCRIPTION: TABULATION_CATEGORY_EXPLANATION and TABULATION_SUB_CATEGORY_EXPLANATION1..5;
    empty when the table has none of them."""
    out = {"TABULATION_CATEGORY_EXPLANATION": explanation} if explanation else {}
    for i, text in enumerate(texts(spec.get("tabulation_sub_explanation")), start=1):
        out[f"TABULATION_SUB_CATEGORY_EXPLANATION{i}"] = text
    return out

"""TABLE_INF as e-Stat writes it, in Japanese (lang=J) or English (lang=E).

lang=E answers each name in English where govstat holds one (the parameter file's `*_en` keys,
the masters' agency and field names in English) and in Japanese where it does not, as e-Stat does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from govstat.platform.clock import JST
from govstat.platform.subsystems.estat.api.fields import sub_code, sub_field_name
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.api.spec_inf import description, sub_categories

COLLECT_AREA: dict[int | None, tuple[str, str]] = {
    None: ("該当なし", "Not applicable"),
    1: ("全国", "Japan"),
    2: ("都道府県", "Prefecture"),
}
MUNICIPALITY = ("市区町村", "Municipality")


def iso_day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date().isoformat()
    return value.isoformat()


def survey_date_field(value: str) -> int | str:
    return int(value) if value and value.isdigit() else (value or 0)


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def english_names(held: str) -> dict[str, str]:
    """The English names a table's detail holds (JSON text; what is not a non-empty string is left out)."""
    return {k: v for k, v in _json(held).items() if isinstance(v, str) and v}


def english(t: PublishedTable) -> dict[str, str]:
    return english_names(t.english)


def spec(t: PublishedTable) -> dict[str, Any]:
    return _json(t.spec)


def names(t: PublishedTable, lang: str) -> dict[str, str]:
    """The table's names in `lang`, each falling back to the Japanese."""
    ja = {
        "stat_name": t.stat_name,
        "agency": t.agency_name,
        "title": t.title,
        "statistics_name": t.statistics_name,
        "explanation": t.explanation,
        "field": t.field_name,
    }
    if lang != "E":
        return ja
    en = english(t)
    return {
        **ja,
        **en,
        "agency": t.agency_name_en or t.agency_name,
        "field": t.field_name_en or t.field_name,
    }


def table_inf(t: PublishedTable, *, explanation: bool = True, lang: str = "J") -> dict[str, Any]:
    n, s, e = names(t, lang), spec(t), int(lang == "E")
    tabulation: dict[str, Any] = {
        "TABULATION_CATEGORY": n["statistics_name"],
        **sub_categories(s, lang, "tabulation_sub", "TABULATION_SUB_CATEGORY"),
    }
    title: dict[str, Any] = {}
    if s.get("table_category"):
        title["TABLE_CATEGORY"] = s["table_category"]
    title["TABLE_NAME"] = n["title"]
    if s.get("table_explanation"):
        title["TABLE_EXPLANATION"] = s["table_explanation"]
    title.update(sub_categories(s, lang, "table_sub", "TABLE_SUB_CATEGORY"))
    out: dict[str, Any] = {
        "@id": t.stats_data_id,
        "STAT_NAME": {"@code": t.gov_stat_code, "$": n["stat_name"]},
        "GOV_ORG": {"@code": t.agency_code, "$": n["agency"]},
        "STATISTICS_NAME": n["statistics_name"],
        "TITLE": {"@no": t.table_no, "$": n["title"]},
        "CYCLE": t.cycle or "-",
        "SURVEY_DATE": survey_date_field(t.survey_date),
        "OPEN_DATE": iso_day(t.open_date or t.publish_at),
        "SMALL_AREA": t.small_area,
        "COLLECT_AREA": COLLECT_AREA.get(t.area_level, MUNICIPALITY)[e],
        "MAIN_CATEGORY": {"@code": t.field_code[:2], "$": n["field"]},
        "SUB_CATEGORY": {"@code": sub_code(t.sub_category), "$": sub_field_name(t.sub_category, lang)},
        "OVERALL_TOTAL_NUMBER": t.total_number,
        "UPDATED_DATE": iso_day(t.updated_at),
        "STATISTICS_NAME_SPEC": tabulation,
        "TITLE_SPEC": title,
    }
    described = description(s, n["explanation"]) if explanation else {}
    if described:
        out["DESCRIPTION"] = described
    return out

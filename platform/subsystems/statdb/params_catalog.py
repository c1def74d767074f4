"""The parameter file's English names and e-Stat's catalogue fields (issue 14 section 1).

    table:
      stat_name_en: Population Census         # STAT_NAME in English (the statistic)
      title_en: Population by sex              # TITLE
      statistics_name_en: 2020 Population Census   # STATISTICS_NAME
      explanation_en: ...                      # DESCRIPTION
      sub_category: "0201"                     # 統計分野 (小分類, 4 digits): statsField=0201, SUB_CATEGORY
      tabulation_sub_categories: [人口等基本集計]  # TABULATION_SUB_CATEGORY1..5
      table_category: 人口                     # TABLE_CATEGORY
      table_sub_categories: [男女別]           # TABLE_SUB_CATEGORY1..3
      tabulation_sub_categories_en: [Basic tabulation]  # lang=E, each in the order of the Japanese
      table_sub_categories_en: [By sex]
      tabulation_sub_category_explanations: [...]  # DESCRIPTION.TABULATION_SUB_CATEGORY_EXPLANATION1..5
      table_explanation: ...                   # TABLE_EXPLANATION
      small_area: 1                            # SMALL_AREA: 0 none, 1 small areas (町丁・字等), 2 mesh
    dimensions:
      cat01:
        name: 男女
        name_en: Sex
        items:
          - {code: 0, name: 総数, name_en: Total}
    special_en:
      "-": Not applicable

Every English key is optional: where one is missing, `lang=E` answers the Japanese, as e-Stat does."""

from __future__ import annotations

import re
from collections.abc import Iterator

from govstat.platform.subsystems.statdb.params_model import Dimension, Item, TableInfo, integer, mapping, text
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.yamlnodes import Map, Seq, line_of

ENGLISH_KEYS = {"stat_name_en": "stat_name", "title_en": "title", "statistics_name_en": "statistics_name"}
LISTS = {
    "tabulation_sub_categories": ("tabulation_sub", 5),
    "table_sub_categories": ("table_sub", 3),
    "tabulation_sub_categories_en": ("tabulation_sub_en", 5),
    "table_sub_categories_en": ("table_sub_en", 3),
    "tabulation_sub_category_explanations": ("tabulation_sub_explanation", 5),
}
TABLE_KEYS = {
    *ENGLISH_KEYS,
    "explanation_en",
    "sub_category",
    *LISTS,
    "table_category",
    "table_explanation",
    "small_area",
}


def table(m: Map, info: TableInfo, p: Problems) -> None:
    """The catalogue keys of `table:` into `info`."""
    for key, name in ENGLISH_KEYS.items():
        value = text(m, key, f"table.{key}", p, max_len=500)
        if value:
            info.english[name] = value
    explanation = text(m, "explanation_en", "table.explanation_en", p, max_len=20000)
    if explanation:
        info.english["explanation"] = explanation
    info.sub_category = text(m, "sub_category", "table.sub_category", p, max_len=4)
    if info.sub_category and not re.fullmatch(r"[0-9]{4}", info.sub_category):
        p.add(line_of(m, "sub_category"), "table.sub_category", "統計分野は4桁の数字です / must be 4 digits")
    for key, (name, most) in LISTS.items():
        values = _texts(m, key, most, p, 5000 if key.endswith("explanations") else 500)
        if values:
            info.spec[name] = values
    for key in ("table_category", "table_explanation"):
        value = text(m, key, f"table.{key}", p, max_len=2000)
        if value:
            info.spec[key] = value
    small = integer(m, "small_area", "table.small_area", p, default=0) or 0
    if small not in (0, 1, 2):
        p.add(line_of(m, "small_area"), "table.small_area", "0, 1, 2 のいずれかです / must be 0, 1 or 2")
        small = 0
    info.small_area = small


def _texts(m: Map, key: str, most: int, p: Problems, longest: int = 500) -> list[str]:
    seq = m.get(key)
    if seq is None:
        return []
    if not isinstance(seq, Seq) or len(seq) > most:
        p.add(line_of(m, key), f"table.{key}", f"{most}個までの文字列のリストです / a list of at most {most} texts")
        return []
    out = []
    for i, node in enumerate(seq):
        if not isinstance(node, str) or not node or len(node) > longest:
            p.add(
                line_of(seq, i),
                f"table.{key}[{i}]",
                f"{longest}文字以内の文字列です / a text of at most {longest} characters",
            )
            continue
        out.append(str(node))
    return out


def listed_dimensions(value: object, dims: dict[str, Dimension]) -> Iterator[tuple[str, Dimension, Map]]:
    """The parameter file's `dimensions` entries that name a known dimension."""
    if not isinstance(value, Map):
        return
    for obj_id, dim in dims.items():
        d = value.get(obj_id)
        if isinstance(d, Map):
            yield obj_id, dim, d


def listed_items(obj_id: str, dim: Dimension, d: Map) -> Iterator[tuple[str, Map, Item]]:
    """(where, node, item) for each listed item matched to the dimension's items by code."""
    seq = d.get("items")
    if not isinstance(seq, Seq):
        return
    by_code = {i.code: i for i in dim.items}
    for i, node in enumerate(seq):
        if isinstance(node, Map) and isinstance(node.get("code"), str) and node["code"] in by_code:
            yield f"{obj_id}.items[{i}]", node, by_code[node["code"]]


def dimensions(value: object, root: Map, dims: dict[str, Dimension], p: Problems) -> None:
    """name_en of each dimension and of its listed items (matched by code; the layout checked the rest)."""
    for obj_id, dim, d in listed_dimensions(value, dims):
        dim.name_en = text(d, "name_en", f"{obj_id}.name_en", p, max_len=500)
        for where, node, item in listed_items(obj_id, dim, d):
            item.name_en = text(node, "name_en", f"{where}.name_en", p, max_len=500)


def special_en(value: object, root: Map, special: dict[str, str], p: Problems) -> dict[str, str]:
    """special_en: the English meaning of each declared special character."""
    m = mapping(value, root, "special_en", "special_en", p, required=False)
    out = {}
    for char in m:
        if char not in special:
            p.add(m.key_lines[char], f"special_en.{char}", "special にない文字です / not a declared special character")
            continue
        out[char] = text(m, char, f"special_en.{char}", p, max_len=500)
    return out

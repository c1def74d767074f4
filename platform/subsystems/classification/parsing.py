"""Reading the shipped classification files into plain records (no database here).

Three sources, three shapes (see data/PROVENANCE.md):
- JSIC Rev.13: the official CSV, one row per item, the level told by zero codes;
- JSIC Rev.14: a nested JSON tree (Japanese) and the same tree with English names;
- JSOC 2009: code,name,description with multi-line quoted descriptions.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")

JSIC_LEVELS_JA = ("大分類", "中分類", "小分類", "細分類")
JSIC_LEVELS_EN = ("Division", "Major group", "Group", "Industry")
JSOC_LEVELS_JA = ("大分類", "中分類", "小分類")
JSOC_LEVELS_EN = ("Major group", "Middle group", "Minor group")


@dataclass(frozen=True)
class Classification:
    code: str
    name_ja: str
    name_en: str


@dataclass
class Item:
    code: str
    level: int
    name_ja: str
    name_en: str = ""
    description: str = ""
    parent_code: str | None = None
    path_codes: list[str] = field(default_factory=list)  # from the 大分類 down to this item
    path_names: list[str] = field(default_factory=list)


@dataclass
class Version:
    key: str  # "jsic-13"
    classification: str  # "jsic"
    ordinal: int  # order within its classification (older first)
    name_ja: str
    name_en: str
    revision_ja: str  # 第13回改定
    revision_en: str
    revised: str  # "2013-10": the month of the revision (告示)
    effective_from: dt.date  # the day it applies from (施行)
    level_names_ja: tuple[str, ...]
    level_names_en: tuple[str, ...]
    source: str  # the shipped file(s)
    items: list[Item] = field(default_factory=list)


@dataclass
class ClassificationData:
    classifications: list[Classification]
    versions: list[Version]


CLASSIFICATIONS = [
    Classification("jsic", "日本標準産業分類", "Japan Standard Industrial Classification (JSIC)"),
    Classification("jsoc", "日本標準職業分類", "Japan Standard Occupational Classification (JSOC)"),
]


def search_norm(text: str) -> str:
    """What searches compare: NFKC, lower case, one comma (、), single spaces.

    The same function runs over the stored names and over the words typed, so 「ＰＨＳ」 finds
    「PHS」 and 「農業、林業」 finds Rev.13's 「農業，林業」."""
    text = unicodedata.normalize("NFKC", text).lower().replace(",", "、")
    return re.sub(r"\s+", " ", text).strip()


def _with_paths(items: list[Item]) -> list[Item]:
    by_code = {i.code: i for i in items}
    for item in items:
        chain: list[Item] = []
        cur: Item | None = item
        while cur is not None:
            chain.append(cur)
            cur = by_code.get(cur.parent_code) if cur.parent_code else None
        chain.reverse()
        item.path_codes = [c.code for c in chain]
        item.path_names = [c.name_ja for c in chain]
        if len(chain) != item.level:
            raise ValueError(f"item {item.code}: level {item.level} but path {item.path_codes}")
    return items


def read_jsic13(path: Path | None = None) -> list[Item]:
    """The official CSV: 大分類コード,中分類コード,小分類コード,細分類コード,項目名 (UTF-8 with BOM)."""
    items: list[Item] = []
    seen: set[str] = set()
    with open(path or DATA_DIR / "jsic-rev13-000420038.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != ["大分類コード", "中分類コード", "小分類コード", "細分類コード", "項目名"]:
            raise ValueError(f"unexpected JSIC Rev.13 header: {header}")
        for n, row in enumerate(reader, start=2):
            major, middle, minor, detail, name = (x.strip() for x in row)
            if middle == "00":
                item = Item(major, 1, name)
            elif minor == "000":
                item = Item(middle, 2, name, parent_code=major)
            elif detail == "0000":
                item = Item(minor, 3, name, parent_code=middle)
            else:
                item = Item(detail, 4, name, parent_code=minor)
            if item.code in seen:
                raise ValueError(f"JSIC Rev.13 line {n}: duplicate code {item.code}")
            seen.add(item.code)
            items.append(item)
    return _with_paths(items)


def _walk_jsic14(tree: dict[str, Any]) -> list[Item]:
    items: list[Item] = []
    for major in tree["major_categories"]:
        items.append(Item(major["code"], 1, major["name"], major.get("name_en", "")))
        for middle in major["middle_categories"]:
            items.append(Item(middle["code"], 2, middle["name"], middle.get("name_en", ""), parent_code=major["code"]))
            for minor in middle["minor_categories"]:
                items.append(
                    Item(minor["code"], 3, minor["name"], minor.get("name_en", ""), parent_code=middle["code"])
                )
                for detail in minor["detail_categories"]:
                    items.append(
                        Item(detail["code"], 4, detail["name"], detail.get("name_en", ""), parent_code=minor["code"])
                    )
    return items


def read_jsic14(simple: Path | None = None, english: Path | None = None) -> list[Item]:
    """Structure and names from the simple tree, English names from the English tree (which must agree)."""
    ja = _walk_jsic14(json.loads((simple or DATA_DIR / "jsic-rev14-simple.json").read_text(encoding="utf-8")))
    en = _walk_jsic14(json.loads((english or DATA_DIR / "jsic-rev14-en.json").read_text(encoding="utf-8")))
    if [(i.code, i.level, i.name_ja) for i in ja] != [(i.code, i.level, i.name_ja) for i in en]:
        raise ValueError("jsic-rev14-simple.json and jsic-rev14-en.json describe different trees")
    if len({i.code for i in ja}) != len(ja):
        raise ValueError("JSIC Rev.14: duplicate codes")
    for item, english_item in zip(ja, en, strict=False):
        item.name_en = english_item.name_en.strip()
    return _with_paths(ja)


def read_jsoc2009(path: Path | None = None) -> list[Item]:
    """code,name,description; a 2-digit 中分類 belongs to the letter row before it."""
    items: list[Item] = []
    major = None
    with open(path or DATA_DIR / "jsoc-2009-occupation.csv", encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            code, name, text = row["code"].strip(), row["name"].strip(), row["description"].strip()
            prefix = name + "。"
            description = text[len(prefix) :].strip() if text.startswith(prefix) else ("" if text == name else text)
            if re.fullmatch(r"[A-Z]", code):
                major = code
                items.append(Item(code, 1, name, description=description))
            elif re.fullmatch(r"[0-9]{2}", code):
                if major is None:
                    raise ValueError(f"JSOC line {n}: 中分類 {code} before any 大分類")
                items.append(Item(code, 2, name, description=description, parent_code=major))
            elif re.fullmatch(r"[0-9]{3}", code):
                items.append(Item(code, 3, name, description=description, parent_code=code[:2]))
            else:
                raise ValueError(f"JSOC line {n}: unexpected code {code!r}")
    return _with_paths(items)


def load_all(data_dir: Path | None = None) -> ClassificationData:
    d = data_dir or DATA_DIR
    versions = [
        Version(
            "jsic-13",
            "jsic",
            13,
            "日本標準産業分類（平成25年10月改定）",
            "JSIC Rev.13 (October 2013)",
            "第13回改定",
            "13th revision",
            "2013-10",
            dt.date(2014, 4, 1),
            JSIC_LEVELS_JA,
            JSIC_LEVELS_EN,
            "jsic-rev13-000420038.csv",
            read_jsic13(d / "jsic-rev13-000420038.csv"),
        ),
        Version(
            "jsic-14",
            "jsic",
            14,
            "日本標準産業分類（令和5年7月改定）",
            "JSIC Rev.14 (July 2023)",
            "第14回改定",
            "14th revision",
            "2023-07",
            dt.date(2024, 4, 1),
            JSIC_LEVELS_JA,
            JSIC_LEVELS_EN,
            "jsic-rev14-simple.json, jsic-rev14-en.json",
            read_jsic14(d / "jsic-rev14-simple.json", d / "jsic-rev14-en.json"),
        ),
        Version(
            "jsoc-2009",
            "jsoc",
            2009,
            "日本標準職業分類（平成21年12月統計基準設定）",
            "JSOC (December 2009)",
            "平成21年12月設定",
            "set December 2009",
            "2009-12",
            dt.date(2010, 4, 1),
            JSOC_LEVELS_JA,
            JSOC_LEVELS_EN,
            "jsoc-2009-occupation.csv",
            read_jsoc2009(d / "jsoc-2009-occupation.csv"),
        ),
    ]
    return ClassificationData(list(CLASSIFICATIONS), versions)


# The revisions whose changes are computed: (from version, to version).
CORRESPONDENCES = [("jsic-13", "jsic-14")]

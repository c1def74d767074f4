"""Row types of the classification database: what its queries answer and its API sends
(docs/decisions/0007). Fields are the queries' columns; platform/db/rows.columns spells them."""

from __future__ import annotations

import datetime as dt

import msgspec


class Version(msgspec.Struct, kw_only=True):
    """One revision of a classification (classification_version with its classification's names)."""

    key: str
    classification_code: str
    classification_name_ja: str
    classification_name_en: str
    ordinal: int
    name_ja: str
    name_en: str
    revision_ja: str
    revision_en: str
    revised: str
    effective_from: dt.date
    level_names_ja: list[str]
    level_names_en: list[str]
    source: str


class VersionCounts(Version, kw_only=True):
    """A version with its items per level (from 1) and in all."""

    counts: list[int] = []
    total: int = 0


class Item(msgspec.Struct, kw_only=True):
    """One item (大分類 .. 細分類) of a version; `path` is 大 > 中 > 小 > 細, code and name."""

    version_key: str
    classification_code: str
    seq: int
    code: str
    level: int
    level_name: str
    level_name_en: str
    name_ja: str
    name_en: str
    description: str
    parent_code: str | None
    path_codes: list[str]
    path_names: list[str]
    path: str = ""


class VersionDetail(VersionCounts, kw_only=True):
    top: list[Item]


class Change(msgspec.Struct, kw_only=True):
    """One row of a computed correspondence (old -> new)."""

    level: int
    kind: str
    old_code: str | None
    old_name: str | None
    new_code: str | None
    new_name: str | None
    rule: str
    note: str


class ItemChange(Change, kw_only=True):
    """A correspondence row of one item, with the pair of versions it belongs to."""

    from_version: str
    to_version: str


class ItemDetail(Item, kw_only=True):
    children: list[Item]
    changes: list[ItemChange]
    version: Version


class Pair(msgspec.Struct, kw_only=True):
    """A computed correspondence and its number of rows."""

    from_version: str
    to_version: str
    n: int


class KindCount(msgspec.Struct, kw_only=True):
    kind: str
    level: int
    n: int


class Catalogue(msgspec.Struct, kw_only=True):
    versions: list[VersionCounts]
    correspondences: list[Pair]


class LevelName(msgspec.Struct, kw_only=True):
    level: int
    name_ja: str
    name_en: str


class KindName(msgspec.Struct, kw_only=True):
    kind: str
    name_ja: str
    name_en: str


class ChangeSummary(msgspec.Struct, kw_only=True):
    """What a revision changed: rows per kind per level (levels as text keys: "1" .. "4")."""

    from_: Version = msgspec.field(name="from")
    to: Version
    levels: list[LevelName]
    kinds: list[KindName]
    counts: dict[str, dict[str, int]]
    totals: dict[str, int]


class ChangesPage(ChangeSummary, kw_only=True):
    total: int
    offset: int
    items: list[Change]

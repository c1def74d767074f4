"""The classification database's read interface for the other parts (docs/decisions/0010):
versions and items by key, as the metadata registry checks what a survey names. Others never name
classification_version or classification_item; they call these with their own unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True


class VersionName(msgspec.Struct, kw_only=True):
    key: str
    name_ja: str
    revision_ja: str
    effective_from: dt.date


async def versions(uow: UnitOfWork, keys: Sequence[str]) -> dict[str, VersionName]:
    """The versions with these keys (those that exist), by key."""
    rows = await uow.rows(
        VersionName,
        "SELECT key, name_ja, revision_ja, effective_from FROM classification_version WHERE key = ANY($1::text[])",
        list(keys),
    )
    return {r.key: r for r in rows}


async def item_names(uow: UnitOfWork, wanted: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(version key, item code) -> the item's Japanese name, for the pairs that exist."""
    if not wanted:
        return {}
    rows = await uow.fetch(
        "SELECT version_key, code, name_ja FROM classification_item"
        " WHERE (version_key, code) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
        [w[0] for w in wanted],
        [w[1] for w in wanted],
    )
    return {(r["version_key"], r["code"]): r["name_ja"] for r in rows}


class LevelItem(msgspec.Struct, kw_only=True):
    code: str
    major: str  # 大分類 letter
    name_ja: str
    name_en: str


async def items_at_level(uow: UnitOfWork, version_key: str, level: int = 1, limit: int = 100_000) -> list[LevelItem]:
    """A version's items at one level (1 = 大分類, 4 = 細分類) with their 大分類, in the classification's
    order: the register draws industries from them, the items database makes code lists of them."""
    return await uow.rows(
        LevelItem,
        "SELECT code, path_codes[1] AS major, name_ja, name_en FROM classification_item"
        " WHERE version_key = $1 AND level = $2 ORDER BY seq LIMIT $3",
        version_key,
        level,
        limit,
    )


class SchemeItem(msgspec.Struct, kw_only=True):
    code: str
    level: int
    name_ja: str
    name_en: str
    parent_code: str | None = None


class Scheme(msgspec.Struct, kw_only=True):
    key: str
    name_ja: str
    name_en: str
    revision_ja: str
    effective_from: dt.date


async def schemes(uow: UnitOfWork) -> list[Scheme]:
    """Every classification version, by key (linked data publishes each as a concept scheme)."""
    return await uow.rows(
        Scheme, "SELECT key, name_ja, name_en, revision_ja, effective_from FROM classification_version ORDER BY key"
    )


async def scheme_items(uow: UnitOfWork, version_key: str) -> list[SchemeItem]:
    """A version's items at every level with their parents, in the classification's order."""
    return await uow.rows(
        SchemeItem,
        "SELECT code, level, name_ja, name_en, parent_code FROM classification_item WHERE version_key = $1 ORDER BY seq",
        version_key,
    )

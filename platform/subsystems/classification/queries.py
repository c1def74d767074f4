"""Read queries of the classification database (SQL where Piccolo's builder would obscure it)."""

from __future__ import annotations

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.classification.rows import (
    Change,
    Item,
    ItemChange,
    KindCount,
    Pair,
    Version,
    VersionCounts,
)

ITEMS = "classification_item i JOIN classification_version v ON v.key = i.version_key"
ITEM_COLUMNS = columns(
    Item,
    "i.",
    classification_code="v.classification_code",
    level_name="v.level_names_ja[i.level]",
    level_name_en="v.level_names_en[i.level]",
    path="''",
)
VERSIONS = "classification_version v JOIN classification c ON c.code = v.classification_code"
VERSION_COLUMNS = columns(Version, "v.", classification_name_ja="c.name_ja", classification_name_en="c.name_en")
CHANGE_COLUMNS = columns(Change)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def versions(uow: UnitOfWork) -> list[VersionCounts]:
    rows = await uow.rows(
        VersionCounts, f"SELECT {VERSION_COLUMNS} FROM {VERSIONS} ORDER BY v.classification_code, v.ordinal"
    )
    counts = await level_counts(uow)
    for v in rows:
        per_level = counts.get(v.key, {})
        v.counts = [per_level.get(n, 0) for n in range(1, len(v.level_names_ja) + 1)]
        v.total = sum(v.counts)
    return rows


async def level_counts(uow: UnitOfWork) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for r in await uow.fetch("SELECT version_key, level, count(*) AS n FROM classification_item GROUP BY 1, 2"):
        out.setdefault(r["version_key"], {})[r["level"]] = r["n"]
    return out


async def version(uow: UnitOfWork, key: str) -> Version | None:
    return await uow.row(Version, f"SELECT {VERSION_COLUMNS} FROM {VERSIONS} WHERE v.key = $1", key)


async def classification_exists(uow: UnitOfWork, code: str) -> bool:
    return bool(await uow.fetchval("SELECT count(*) FROM classification WHERE code = $1", code))


async def search(
    uow: UnitOfWork,
    *,
    words: list[str],
    code: str | None,
    classification: str | None,
    version: str | None,
    level: int | None,
    descriptions: bool,
    limit: int,
    offset: int,
) -> tuple[int, list[Item]]:
    w = Where().eq("v.classification_code", classification).eq("i.version_key", version).eq("i.level", level or None)
    if code:
        w.add("i.code LIKE {}", like_escape(code) + "%")
    for word in words:
        w.add(
            "(i.search_names LIKE {0} OR i.search_description LIKE {0})" if descriptions else "i.search_names LIKE {0}",
            f"%{like_escape(word)}%",
        )
    total = await uow.fetchval(f"SELECT count(*) FROM {ITEMS} WHERE {w}", *w.args)
    rows = await uow.rows(
        Item,
        f"SELECT {ITEM_COLUMNS} FROM {ITEMS} WHERE {w}"
        f" ORDER BY v.classification_code, v.ordinal, i.seq LIMIT {int(limit)} OFFSET {int(offset)}",
        *w.args,
    )
    return total, rows


async def item(uow: UnitOfWork, version_key: str, code: str) -> Item | None:
    return await uow.row(
        Item, f"SELECT {ITEM_COLUMNS} FROM {ITEMS} WHERE i.version_key = $1 AND i.code = $2", version_key, code
    )


async def children(uow: UnitOfWork, version_key: str, code: str | None) -> list[Item]:
    condition = "i.parent_code = $2" if code else "i.parent_code IS NULL AND $2::text IS NULL"
    return await uow.rows(
        Item,
        f"SELECT {ITEM_COLUMNS} FROM {ITEMS} WHERE i.version_key = $1 AND {condition} ORDER BY i.seq",
        version_key,
        code,
    )


async def all_items(uow: UnitOfWork, version_key: str) -> list[Item]:
    return await uow.rows(
        Item, f"SELECT {ITEM_COLUMNS} FROM {ITEMS} WHERE i.version_key = $1 ORDER BY i.seq", version_key
    )


async def correspondence_pairs(uow: UnitOfWork) -> list[Pair]:
    return await uow.rows(
        Pair,
        "SELECT from_version, to_version, count(*) AS n FROM classification_correspondence GROUP BY 1, 2 ORDER BY 1, 2",
    )


async def change_counts(uow: UnitOfWork, old: str, new: str) -> list[KindCount]:
    return await uow.rows(
        KindCount,
        "SELECT kind, level, count(*) AS n FROM classification_correspondence"
        " WHERE from_version = $1 AND to_version = $2 GROUP BY 1, 2 ORDER BY 1, 2",
        old,
        new,
    )


async def changes(
    uow: UnitOfWork,
    old: str,
    new: str,
    *,
    kinds: list[str] | None,
    level: int | None,
    limit: int | None,
    offset: int = 0,
) -> tuple[int, list[Change]]:
    w = Where().add("from_version = {}", old).add("to_version = {}", new).any("kind", kinds).eq("level", level or None)
    total = await uow.fetchval(f"SELECT count(*) FROM classification_correspondence WHERE {w}", *w.args)
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    rows = await uow.rows(
        Change, f"SELECT {CHANGE_COLUMNS} FROM classification_correspondence WHERE {w} ORDER BY seq{page}", *w.args
    )
    return total, rows


async def changes_of_item(uow: UnitOfWork, version_key: str, code: str) -> list[ItemChange]:
    """Correspondence rows where the item is the old side or the new side."""
    return await uow.rows(
        ItemChange,
        f"SELECT {columns(ItemChange)} FROM classification_correspondence"
        " WHERE (from_version = $1 AND old_code = $2) OR (to_version = $1 AND new_code = $2)"
        " ORDER BY from_version, to_version, seq",
        version_key,
        code,
    )

"""Read queries of the classification database (SQL where Piccolo's builder would obscure it)."""

from __future__ import annotations

from typing import Any

from govstat.platform.db.uow import UnitOfWork

ITEM_COLUMNS = (
    "i.version_key, v.classification_code, i.seq, i.code, i.level, v.level_names_ja[i.level] AS level_name,"
    " v.level_names_en[i.level] AS level_name_en, i.name_ja, i.name_en, i.description, i.parent_code,"
    " i.path_codes, i.path_names"
)
VERSION_COLUMNS = (
    "v.key, v.classification_code, c.name_ja AS classification_name_ja,"
    " c.name_en AS classification_name_en, v.ordinal, v.name_ja, v.name_en, v.revision_ja, v.revision_en,"
    " v.revised, v.effective_from, v.level_names_ja, v.level_names_en, v.source"
)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def versions(uow: UnitOfWork) -> list[dict[str, Any]]:
    rows = await uow.fetch(
        f"SELECT {VERSION_COLUMNS} FROM classification_version v"
        " JOIN classification c ON c.code = v.classification_code"
        " ORDER BY v.classification_code, v.ordinal"
    )
    counts = await level_counts(uow)
    out = []
    for r in rows:
        d = dict(r)
        per_level = counts.get(d["key"], {})
        d["counts"] = [per_level.get(n, 0) for n in range(1, len(d["level_names_ja"]) + 1)]
        d["total"] = sum(d["counts"])
        out.append(d)
    return out


async def level_counts(uow: UnitOfWork) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for r in await uow.fetch("SELECT version_key, level, count(*) AS n FROM classification_item GROUP BY 1, 2"):
        out.setdefault(r["version_key"], {})[r["level"]] = r["n"]
    return out


async def version(uow: UnitOfWork, key: str) -> dict[str, Any] | None:
    row = await uow.fetchrow(
        f"SELECT {VERSION_COLUMNS} FROM classification_version v"
        " JOIN classification c ON c.code = v.classification_code WHERE v.key = $1",
        key,
    )
    return dict(row) if row else None


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
) -> tuple[int, list[dict[str, Any]]]:
    where: list[str] = []
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if classification:
        where.append(f"v.classification_code = {arg(classification)}")
    if version:
        where.append(f"i.version_key = {arg(version)}")
    if level:
        where.append(f"i.level = {arg(level)}")
    if code:
        where.append(f"i.code LIKE {arg(like_escape(code) + '%')}")
    for word in words:
        p = arg(f"%{like_escape(word)}%")
        where.append(
            f"(i.search_names LIKE {p} OR i.search_description LIKE {p})"
            if descriptions
            else f"i.search_names LIKE {p}"
        )
    sql_where = " AND ".join(where) or "true"
    base = "FROM classification_item i JOIN classification_version v ON v.key = i.version_key"
    total = await uow.fetchval(f"SELECT count(*) {base} WHERE {sql_where}", *args)
    rows = await uow.fetch(
        f"SELECT {ITEM_COLUMNS} {base} WHERE {sql_where}"
        f" ORDER BY v.classification_code, v.ordinal, i.seq LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    return total, [dict(r) for r in rows]


async def item(uow: UnitOfWork, version_key: str, code: str) -> dict[str, Any] | None:
    row = await uow.fetchrow(
        f"SELECT {ITEM_COLUMNS} FROM classification_item i"
        " JOIN classification_version v ON v.key = i.version_key"
        " WHERE i.version_key = $1 AND i.code = $2",
        version_key,
        code,
    )
    return dict(row) if row else None


async def children(uow: UnitOfWork, version_key: str, code: str | None) -> list[dict[str, Any]]:
    condition = "i.parent_code = $2" if code else "i.parent_code IS NULL AND $2::text IS NULL"
    rows = await uow.fetch(
        f"SELECT {ITEM_COLUMNS} FROM classification_item i"
        " JOIN classification_version v ON v.key = i.version_key"
        f" WHERE i.version_key = $1 AND {condition} ORDER BY i.seq",
        version_key,
        code,
    )
    return [dict(r) for r in rows]


async def all_items(uow: UnitOfWork, version_key: str) -> list[dict[str, Any]]:
    rows = await uow.fetch(
        f"SELECT {ITEM_COLUMNS} FROM classification_item i"
        " JOIN classification_version v ON v.key = i.version_key"
        " WHERE i.version_key = $1 ORDER BY i.seq",
        version_key,
    )
    return [dict(r) for r in rows]


CHANGE_COLUMNS = "level, kind, old_code, old_name, new_code, new_name, rule, note"


async def correspondence_pairs(uow: UnitOfWork) -> list[dict[str, Any]]:
    rows = await uow.fetch(
        "SELECT from_version, to_version, count(*) AS n FROM classification_correspondence GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return [dict(r) for r in rows]


async def change_counts(uow: UnitOfWork, old: str, new: str) -> list[dict[str, Any]]:
    rows = await uow.fetch(
        "SELECT kind, level, count(*) AS n FROM classification_correspondence"
        " WHERE from_version = $1 AND to_version = $2 GROUP BY 1, 2 ORDER BY 1, 2",
        old,
        new,
    )
    return [dict(r) for r in rows]


async def changes(
    uow: UnitOfWork,
    old: str,
    new: str,
    *,
    kinds: list[str] | None,
    level: int | None,
    limit: int | None,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    where, args = ["from_version = $1", "to_version = $2"], [old, new]
    if kinds:
        args.append(kinds)
        where.append(f"kind = ANY(${len(args)}::text[])")
    if level:
        args.append(level)
        where.append(f"level = ${len(args)}")
    sql_where = " AND ".join(where)
    total = await uow.fetchval(f"SELECT count(*) FROM classification_correspondence WHERE {sql_where}", *args)
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    rows = await uow.fetch(
        f"SELECT {CHANGE_COLUMNS} FROM classification_correspondence WHERE {sql_where} ORDER BY seq{page}", *args
    )
    return total, [dict(r) for r in rows]


async def changes_of_item(uow: UnitOfWork, version_key: str, code: str) -> list[dict[str, Any]]:
    """Correspondence rows where the item is the old side or the new side."""
    rows = await uow.fetch(
        f"SELECT from_version, to_version, {CHANGE_COLUMNS} FROM classification_correspondence"
        " WHERE (from_version = $1 AND old_code = $2) OR (to_version = $1 AND new_code = $2)"
        " ORDER BY from_version, to_version, seq",
        version_key,
        code,
    )
    return [dict(r) for r in rows]

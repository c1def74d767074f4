"""Use cases of the classification database (CLASSIFICATION-1): search across versions, read,
download, and what a revision changed."""

from __future__ import annotations

import io
import re

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import BadRequest, FieldError, InvalidInput, NotFound
from govstat.platform.subsystems.classification import queries
from govstat.platform.subsystems.classification.correspondence import KIND_NAMES, KIND_NAMES_EN, KINDS
from govstat.platform.subsystems.classification.parsing import search_norm
from govstat.platform.subsystems.classification.rows import (
    Catalogue,
    Change,
    ChangeSummary,
    Item,
    ItemDetail,
    KindName,
    LevelName,
    Version,
    VersionDetail,
)
from govstat.platform.subsystems.classification.schemas import VERSION_PATTERN, ItemOut
from govstat.platform.web.spreadsheet import csv_writer

PATH_SEPARATOR = " > "


def path_text(item: Item) -> str:
    """「大 > 中 > 小 > 細」: every level from the top down to the item, code and name."""
    return PATH_SEPARATOR.join(f"{c} {n}" for c, n in zip(item.path_codes, item.path_names, strict=False))


def _with_path(item: Item) -> Item:
    item.path = path_text(item)
    return item


async def catalogue(uow: UnitOfWork) -> Catalogue:
    """Every classification version with its item counts per level, and the computed correspondences."""
    return Catalogue(versions=await queries.versions(uow), correspondences=await queries.correspondence_pairs(uow))


async def require_version(
    uow: UnitOfWork, key: str, field: str = "version", *, missing_is_404: bool = False
) -> Version:
    row = await queries.version(uow, key)
    if row is None:
        message = f"分類の版 {key} はありません / no classification version {key}"
        if missing_is_404:
            raise NotFound(message)
        raise InvalidInput.field(field, message)
    return row


def split_words(q: str | None) -> list[str]:
    return [w for w in search_norm(q or "").split(" ") if w]


async def search(
    uow: UnitOfWork,
    *,
    q: str | None = None,
    code: str | None = None,
    classification: str | None = None,
    version: str | None = None,
    level: int | None = None,
    descriptions: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Item]]:
    """Items of every version whose names contain all the words (Japanese or, for Rev.14, English) and
    whose code starts with `code`; each result carries its path 大 > 中 > 小 > 細."""
    if classification and not await queries.classification_exists(uow, classification):
        raise InvalidInput.field(
            "classification", f"分類 {classification} はありません / no classification {classification}"
        )
    if version:
        row = await require_version(uow, version)
        if classification and row.classification_code != classification:
            raise InvalidInput.field(
                "version", f"{version} は {classification} の版ではありません / not a version of {classification}"
            )
    total, rows = await queries.search(
        uow,
        words=split_words(q),
        code=code.upper() if code else None,
        classification=classification,
        version=version,
        level=level,
        descriptions=descriptions,
        limit=limit,
        offset=offset,
    )
    return total, [_with_path(r) for r in rows]


async def item_detail(uow: UnitOfWork, version: str, code: str) -> ItemDetail:
    v = await require_version(uow, version, missing_is_404=True)
    item = await queries.item(uow, version, code.upper())
    if item is None:
        raise NotFound(f"{v.name_ja} に項目 {code} はありません / no item {code} in {version}")
    return ItemDetail(
        **msgspec.structs.asdict(_with_path(item)),
        children=[_with_path(c) for c in await queries.children(uow, version, item.code)],
        changes=await queries.changes_of_item(uow, version, item.code),
        version=v,
    )


async def version_detail(uow: UnitOfWork, version: str) -> VersionDetail:
    v = await require_version(uow, version, missing_is_404=True)
    per_level = (await queries.level_counts(uow)).get(version, {})
    counts = [per_level.get(n, 0) for n in range(1, len(v.level_names_ja) + 1)]
    return VersionDetail(
        **msgspec.structs.asdict(v),
        counts=counts,
        total=sum(counts),
        top=[_with_path(c) for c in await queries.children(uow, version, None)],
    )


async def export_items(uow: UnitOfWork, version: str) -> tuple[Version, list[Item]]:
    v = await require_version(uow, version, missing_is_404=True)
    return v, await queries.all_items(uow, version)


ITEM_CSV_HEADER = ["版", "階層", "階層名", "コード", "項目名", "項目名（英語）", "説明", "上位コード", "パス"]


def items_csv(rows: list[Item]) -> str:
    """UTF-8 with BOM (spreadsheet software reads it as UTF-8), CRLF line ends."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(ITEM_CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                r.version_key,
                r.level,
                r.level_name,
                r.code,
                r.name_ja,
                r.name_en,
                r.description,
                r.parent_code or "",
                path_text(r),
            ]
        )
    return "\ufeff" + out.getvalue()


def items_json(version: Version, rows: list[Item]) -> bytes:
    items = [
        ItemOut(
            code=r.code,
            level=r.level,
            level_name=r.level_name,
            name_ja=r.name_ja,
            name_en=r.name_en,
            description=r.description,
            parent_code=r.parent_code,
            path_codes=r.path_codes,
            path_names=r.path_names,
        )
        for r in rows
    ]
    return msgspec.json.encode({"version": version, "items": items})


def version_param(value: str, name: str) -> str:
    """A malformed version key is a 400 naming the query parameter as the caller wrote it."""
    if not re.fullmatch(VERSION_PATTERN, value):
        message = f"版は jsic-14 のように指定してください / expected a version key like jsic-14, got {value!r}"
        raise BadRequest(f"{name}: {message}", errors=[FieldError(name, message)])
    return value


async def _require_pair(uow: UnitOfWork, old: str, new: str) -> tuple[Version, Version]:
    version_param(old, "from")
    version_param(new, "to")
    v_old = await require_version(uow, old, "from")
    v_new = await require_version(uow, new, "to")
    pairs = {(p.from_version, p.to_version) for p in await queries.correspondence_pairs(uow)}
    if (old, new) not in pairs:
        raise NotFound(
            f"{old} から {new} への対応表はありません / no correspondence from {old} to {new}",
            available=[f"{a}..{b}" for a, b in sorted(pairs)],
        )
    return v_old, v_new


async def change_summary(uow: UnitOfWork, old: str, new: str) -> ChangeSummary:
    """Counts per change kind per level (every kind and level present, zeros included)."""
    v_old, v_new = await _require_pair(uow, old, new)
    levels = list(range(1, max(len(v_old.level_names_ja), len(v_new.level_names_ja)) + 1))
    counts = {k: {str(n): 0 for n in levels} for k in KINDS}
    for r in await queries.change_counts(uow, old, new):
        counts[r.kind][str(r.level)] = r.n
    return ChangeSummary(
        from_=v_old,
        to=v_new,
        levels=[
            LevelName(level=n, name_ja=v_new.level_names_ja[n - 1], name_en=v_new.level_names_en[n - 1]) for n in levels
        ],
        kinds=[KindName(kind=k, name_ja=KIND_NAMES[k], name_en=KIND_NAMES_EN[k]) for k in KINDS],
        counts=counts,
        totals={k: sum(v.values()) for k, v in counts.items()},
    )


async def change_list(
    uow: UnitOfWork,
    old: str,
    new: str,
    *,
    kinds: list[str] | None = None,
    level: int | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> tuple[int, list[Change]]:
    await _require_pair(uow, old, new)
    return await queries.changes(uow, old, new, kinds=kinds, level=level, limit=limit, offset=offset)


CHANGE_CSV_HEADER = ["階層", "変更区分", "kind", "旧コード", "旧項目名", "新コード", "新項目名", "判定規則", "備考"]


def changes_csv(rows: list[Change]) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(CHANGE_CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                r.level,
                KIND_NAMES[r.kind],
                r.kind,
                r.old_code or "",
                r.old_name or "",
                r.new_code or "",
                r.new_name or "",
                r.rule,
                r.note,
            ]
        )
    return "\ufeff" + out.getvalue()

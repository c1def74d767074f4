"""Checking and writing a version's content: the survey's fields, its items (項目), the
classifications used and the linked tables. Every problem is collected with the field it
concerns (`items[2].name`, `tables[0].stats_data_id`) and the request is refused as a whole,
before anything is written.

Other parts' data (government statistics, database tables, table files, classifications) is read
through their owners' read interfaces (platform/directory.py, statdb/tables/classification
published.py), under the caller's row-level security."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import FieldError, InvalidInput
from govstat.platform.subsystems.classification import published as classification
from govstat.platform.subsystems.metadata.rows import ClassificationRow, Survey, VersionRow
from govstat.platform.subsystems.metadata.schemas import ClassificationIn, ItemIn, TableLinkIn
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.subsystems.statdb.published import TableRef
from govstat.platform.subsystems.tables.published import FileRef
from govstat.platform.subsystems.tables.published import file_refs as table_files_of

MAX_ERRORS = 100


class Problems:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            first = self.errors[0]
            more = (
                f" (ほか {len(self.errors) - 1} 件 / and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            )
            raise InvalidInput(f"{first.field}: {first.message}{more}", errors=list(self.errors))


async def check_statistic(uow: UnitOfWork, gov_stat_code: str, problems: Problems) -> None:
    """Only the agency that owns a government statistic registers metadata for it."""
    found = await directory.ownership(uow, gov_stat_code)
    if found is None:
        problems.add("gov_stat_code", directory.unknown_statistic(gov_stat_code))
    elif uow.scope.tenant_id is None or uow.scope.cross_tenant:
        problems.add(
            "gov_stat_code",
            "統計を所管する利用機関として登録してください / only the agency that owns the statistic registers its metadata",
        )
    elif refusal := found.refusal():
        problems.add("gov_stat_code", refusal)


def check_period(fields: Survey, problems: Problems) -> None:
    start, end = fields.period_from, fields.period_to
    if start and end and start > end:
        problems.add("period_to", "調査期間の終了日が開始日より前です / period_to is before period_from")


def check_items(items: Sequence[ItemIn], problems: Problems) -> None:
    names: set[str] = set()
    codes: set[str] = set()
    for n, item in enumerate(items):
        if item.name.strip() != item.name or not item.name.strip():
            problems.add(f"items[{n}].name", "前後に空白のない名称にしてください / no leading or trailing spaces")
        if item.name in names:
            problems.add(f"items[{n}].name", f"項目名「{item.name}」が重複しています / duplicate item name")
        names.add(item.name)
        if item.code:
            if item.code in codes:
                problems.add(f"items[{n}].code", f"項目コード {item.code} が重複しています / duplicate item code")
            codes.add(item.code)


async def resolve_classifications(
    uow: UnitOfWork, entries: Sequence[ClassificationIn], item_names: set[str], problems: Problems
) -> list[ClassificationRow]:
    """Each entry names a classification version (and optionally an item) that exists in the
    classification database, or is free text; `applies_to` names one of the version's items.
    Returns the rows to write, with the names as they are now."""
    versions = await classification.versions(uow, sorted({e.version for e in entries if e.version}))
    wanted = [(e.version, e.item_code) for e in entries if e.version and e.item_code]
    found = await classification.item_names(uow, wanted)
    rows: list[ClassificationRow] = []
    seen: set[tuple[str | None, ...]] = set()
    for n, e in enumerate(entries):
        at = f"classifications[{n}]"
        if (e.version is None) == (e.text is None):
            problems.add(
                at,
                "分類（version）か自由記述（text）のどちらか一方を指定してください"
                " / give either a classification version or free text",
            )
            continue
        if e.text is not None and e.item_code is not None:
            problems.add(
                f"{at}.item_code", "分類項目は分類（version）と一緒に指定してください / item_code needs a version"
            )
            continue
        if e.applies_to and e.applies_to not in item_names:
            problems.add(f"{at}.applies_to", f"項目「{e.applies_to}」がありません / no item named {e.applies_to!r}")
        key = (e.version, e.item_code, e.text, e.applies_to)
        if key in seen:
            problems.add(at, "同じ分類が重複しています / duplicate classification")
        seen.add(key)
        if e.text is not None:
            rows.append(
                ClassificationRow(
                    classification_version=None,
                    classification_name="",
                    item_code=None,
                    item_name="",
                    free_text=e.text,
                    applies_to=e.applies_to,
                    note=e.note,
                )
            )
            continue
        version = versions.get(e.version or "")
        if e.version is None or version is None:
            problems.add(
                f"{at}.version",
                f"分類 {e.version} は統計分類データベースにありません / no classification version {e.version}",
            )
            continue
        item_name = ""
        if e.item_code is not None:
            name = found.get((e.version, e.item_code))
            if name is None:
                problems.add(
                    f"{at}.item_code",
                    f"{version.name_ja}に分類項目 {e.item_code} はありません / no item {e.item_code} in {e.version}",
                )
                continue
            item_name = name
        rows.append(
            ClassificationRow(
                classification_version=e.version,
                classification_name=version.name_ja,
                item_code=e.item_code,
                item_name=item_name,
                free_text=None,
                applies_to=e.applies_to,
                note=e.note,
            )
        )
    return rows


async def check_tables(uow: UnitOfWork, links: Sequence[TableLinkIn], gov_stat_code: str, problems: Problems) -> None:
    """A linked table is the tenant's own database table or table file of the same statistic."""
    ids = [l.stats_data_id for l in links if l.stats_data_id]
    files = [l.table_file_id for l in links if l.table_file_id]
    tables = {r.stats_data_id: r for r in await statdb.table_refs(uow, stats_data_ids=ids)}
    table_files = {r.id: r for r in await table_files_of(uow, files)}
    seen: set[str | uuid.UUID] = set()
    for n, link in enumerate(links):
        at = f"tables[{n}]"
        if (link.stats_data_id is None) == (link.table_file_id is None):
            problems.add(
                at,
                "統計表ID（stats_data_id）か統計表ファイル（table_file_id）のどちらか一方を指定してください"
                " / give either stats_data_id or table_file_id",
            )
            continue
        field: str
        key: str | uuid.UUID
        row: TableRef | FileRef | None
        if link.stats_data_id:
            field, key, row = f"{at}.stats_data_id", link.stats_data_id, tables.get(link.stats_data_id)
        else:
            assert link.table_file_id is not None  # exactly one of the two is given (checked above)
            field, key, row = f"{at}.table_file_id", link.table_file_id, table_files.get(link.table_file_id)
        if key in seen:
            problems.add(field, f"{key} が重複しています / linked twice")
            continue
        seen.add(key)
        if row is None:
            problems.add(field, f"統計表 {key} が見つかりません / table {key} not found")
        elif not row.own:
            problems.add(field, f"統計表 {key} は他の利用機関のものです / table {key} belongs to another organisation")
        elif row.gov_stat_code != gov_stat_code:
            problems.add(
                field,
                f"統計表 {key} は政府統計 {row.gov_stat_code} の表です（このメタデータは {gov_stat_code}）"
                f" / table {key} is of statistic {row.gov_stat_code}, not {gov_stat_code}",
            )


COMPLETE = {
    "purpose": "調査の目的",
    "legal_basis": "根拠法令",
    "population": "調査対象",
    "cycle": "調査周期",
    "method": "調査方法",
}


def check_complete(version: VersionRow, item_count: int, problems: Problems) -> None:
    """What a version needs before it is finalised (a draft may be incomplete)."""
    for field, name in COMPLETE.items():
        if not str(getattr(version, field) or "").strip():
            problems.add(field, f"{name}を入力してください / {field} is required before finalising")
    if item_count == 0:
        problems.add("items", "項目を1つ以上登録してください / at least one item is required before finalising")


async def write_items(uow: UnitOfWork, version_id: uuid.UUID, tenant_id: uuid.UUID, items: Sequence[ItemIn]) -> None:
    await uow.execute("DELETE FROM metadata_item WHERE version_id = $1", version_id)
    if items:
        await uow.execute(
            "INSERT INTO metadata_item (version_id, tenant_id, position, code, name, definition, unit, value_type)"
            " SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])",
            version_id,
            tenant_id,
            list(range(1, len(items) + 1)),
            [i.code for i in items],
            [i.name for i in items],
            [i.definition for i in items],
            [i.unit for i in items],
            [i.value_type for i in items],
        )


async def write_classifications(
    uow: UnitOfWork, version_id: uuid.UUID, tenant_id: uuid.UUID, rows: Sequence[ClassificationRow]
) -> None:
    await uow.execute("DELETE FROM metadata_classification WHERE version_id = $1", version_id)
    for n, r in enumerate(rows, 1):
        await uow.execute(
            "INSERT INTO metadata_classification (version_id, tenant_id, position, classification_version,"
            " classification_name, item_code, item_name, free_text, applies_to, note)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            version_id,
            tenant_id,
            n,
            r.classification_version,
            r.classification_name,
            r.item_code,
            r.item_name,
            r.free_text,
            r.applies_to,
            r.note,
        )


async def write_tables(
    uow: UnitOfWork, version_id: uuid.UUID, tenant_id: uuid.UUID, links: Sequence[TableLinkIn]
) -> None:
    await uow.execute("DELETE FROM metadata_table_link WHERE version_id = $1", version_id)
    for n, link in enumerate(links, 1):
        await uow.execute(
            "INSERT INTO metadata_table_link (version_id, tenant_id, position, stats_data_id, table_file_id,"
            " note) VALUES ($1, $2, $3, $4, $5, $6)",
            version_id,
            tenant_id,
            n,
            link.stats_data_id,
            link.table_file_id,
            link.note,
        )


async def copy_content(uow: UnitOfWork, source: uuid.UUID, target: uuid.UUID, kinds: Sequence[str]) -> None:
    """Carry the published version's lists into a new draft (names kept as they were registered)."""
    columns = {
        "metadata_item": "tenant_id, position, code, name, definition, unit, value_type",
        "metadata_classification": "tenant_id, position, classification_version, classification_name, item_code,"
        " item_name, free_text, applies_to, note",
        "metadata_table_link": "tenant_id, position, stats_data_id, table_file_id, note",
    }
    for table in kinds:
        cols = columns[table]
        await uow.execute(
            f"INSERT INTO {table} (version_id, {cols}) SELECT $2, {cols} FROM {table} WHERE version_id = $1",
            source,
            target,
        )

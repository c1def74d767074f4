"""訂正 and 追加 of a published table (issue 14 §2): a new version under the same statsDataId.

The agency sends the table's parameter file (the registered one when it sends none) and a data
file, checked as at registration (line and field of each error), then against the table:

- correction (訂正): every cell must already be in the table (a file of just the corrected rows is
  fine); cells whose value, special character, unit or annotation differ are replaced, the values
  they held are kept in stat_cell_revision under the version that held them.
- extension (追加): the cells of new periods. Every code must be a class item of the table, except
  the time dimension's new periods, which are appended to its classes; a cell already in the table
  is refused (that is a correction).

Either way the table gets version + 1, UPDATED_DATE today, a version row saying who, when and why,
an audit record and a TableRevised event (subscribers of the statistic are notified)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.statdb import ingest, service
from govstat.platform.subsystems.statdb.events import TableRevised
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.queries import of_table
from govstat.platform.subsystems.statdb.revisions import write as revise_write
from govstat.platform.subsystems.statdb.revisions.rows import Revised

KINDS = ("correction", "extension")
GROWS = "time"  # the dimension an extension may add codes to (new periods)
MAX_REASON = 2000


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.field("reason", "理由を入力してください / give the reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput.field("reason", f"理由は{MAX_REASON}文字までです / at most {MAX_REASON} characters")
    return reason


async def revise(uow: UnitOfWork, stats_data_id: str, upload: service.Upload, *, kind: str, reason: str) -> Revised:
    if kind not in KINDS:
        raise InvalidInput.field(
            "kind", "correction（訂正）または extension（追加）を指定してください / correction or extension"
        )
    reason = check_reason(reason)
    table = await service.get(uow, stats_data_id, for_update=True)
    if table.withdrawn_at is not None:
        raise InvalidTransition("取り下げた統計表です / the table was withdrawn")
    if not service.is_public(table):
        raise InvalidTransition(
            "公表前の統計表は削除して登録し直してください / not published yet: delete it and register it again"
        )
    params = upload.params or await uow.fetchval("SELECT params FROM stat_table WHERE id = $1", table.id)
    p = Problems()
    prep = await ingest.prepare(uow, params, upload.data, upload.data_filename, p)
    p.raise_if_any()
    assert prep is not None
    conv = prep.converted
    if prep.params.table.gov_stat_code != table.gov_stat_code:
        raise InvalidInput.field(
            "table.gov_stat_code", f"統計表の政府統計コードは {table.gov_stat_code} です / must stay"
        )
    dims = [
        r["obj_id"]
        for r in await uow.fetch("SELECT obj_id FROM class_obj WHERE table_id = $1 ORDER BY position", table.id)
    ]
    if conv.dims != dims:
        raise InvalidInput.field(
            "dimensions", f"統計表の次元は {', '.join(dims)} です / the table's dimensions are {', '.join(dims)}"
        )
    existing: dict[str, set[str]] = {d: set() for d in dims}
    for r in await uow.fetch("SELECT obj_id, code FROM class_item WHERE table_id = $1", table.id):
        existing[r["obj_id"]].add(r["code"])
    added = unknown_codes(conv, dims, existing, grows=GROWS if kind == "extension" else None)
    cells = await current_cells(uow, table.id, dims)
    n = len(dims)
    changed: list[tuple[Any, ...]] = []
    appended: list[tuple[Any, ...]] = []
    problems = Problems()
    for rec in conv.records:
        key = tuple(rec[1 : 1 + n])
        old = cells.get(key)
        where = ", ".join(f"{o}={c}" for o, c in zip(dims, key, strict=True))
        if kind == "correction":
            if old is None:
                problems.data(
                    0, None, f"統計表にないセルです（{where}）。追加は extension で / not a cell of the table: {where}"
                )
            elif not same(old[1:], rec[1 + n :]):
                changed.append((old[0], *rec[1 + n :]))
        elif old is not None:
            problems.data(0, None, f"既にあるセルです（{where}）。訂正は correction で / already in the table: {where}")
        else:
            appended.append(rec)
        if problems.full:
            break
    problems.raise_if_any()
    if not changed and not appended:
        raise InvalidInput.field("data", "変更されたセルがありません / no cell differs from the table")
    version = table.version + 1
    await revise_write.record_original(uow, table)
    if changed:
        await revise_write.correct(uow, table.id, table.version, changed)
    total = table.total_number
    if appended:
        await revise_write.append(uow, table.id, dims, conv, appended, added, start=total)
        total += len(appended)
    await uow.execute(
        "UPDATE stat_table SET version = $2, total_number = $3, corrected_at = now(), updated_at = now() WHERE id = $1",
        table.id,
        version,
        total,
    )
    added_items = {o: codes for o, codes in added.items() if codes}
    await uow.execute(
        """INSERT INTO stat_table_version (table_id, version, tenant_id, kind, reason, changed_cells, added_cells,
             total_number, added_items, data_sha256, data_filename, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, coalesce(current_setting('app.actor', true), ''))""",
        table.id,
        version,
        table.tenant_id,
        kind,
        reason,
        len(changed),
        len(appended),
        total,
        json.dumps(added_items, ensure_ascii=False),
        prep.data_sha256,
        prep.data_filename,
    )
    await audit(
        uow,
        f"statdb.table.{kind}",
        tenant_id=table.tenant_id,
        target_type="stat_table",
        target_id=stats_data_id,
        module=service.MODULE,
        version=version,
        reason=reason,
        changed_cells=len(changed),
        added_cells=len(appended),
    )
    at = await uow.fetchval("SELECT corrected_at FROM stat_table WHERE id = $1", table.id)
    await emit(
        uow,
        TableRevised(
            stats_data_id=stats_data_id, version=version, change=kind, reason=reason, title=table.title, revised_at=at
        ),
        tenant_id=table.tenant_id,
    )
    return Revised(
        stats_data_id=stats_data_id,
        version=version,
        kind=kind,
        changed_cells=len(changed),
        added_cells=len(appended),
        added_items=added_items,
        total_number=total,
    )


def unknown_codes(
    conv: Any, dims: list[str], existing: dict[str, set[str]], *, grows: str | None
) -> dict[str, list[str]]:
    """Codes the file uses that are not class items of the table: an error naming each (with its data
    line when the codes come from the data), except in the dimension `grows`, where they are returned
    in the order they appear (an extension's new periods)."""
    used: dict[str, dict[str, None]] = {d: {} for d in dims}
    for rec in conv.records:
        for k, d in enumerate(dims):
            used[d].setdefault(rec[1 + k], None)
    p, added = Problems(), {}
    for d in dims:
        new = [c for c in used[d] if c not in existing[d]]
        if d == grows:
            added[d] = new
            continue
        for code in new:
            line = conv.seen.get(d, {}).get(code, ("", 0))[1]
            msg = f"コード {code!r} は統計表の {d} にありません / {code!r} is not a class item of {d} in the table"
            if line:
                p.data(line, None, f"{d}: {msg}")
            else:
                p.add(0, f"dimensions.{d}", msg)
    p.raise_if_any()
    return added


async def current_cells(uow: UnitOfWork, table_id: int, dims: list[str]) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """key (the codes) -> (seq, unit, value as text, raw, annotation) of every cell of the table."""
    cols = ", ".join(dims)
    records = await uow.fetch(
        f"SELECT {cols}, seq, unit, value::text AS value, raw, annotation FROM observation WHERE {of_table(table_id)}"
    )
    n = len(dims)
    return {tuple(r[:n]): tuple(r[n:]) for r in records}


def same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """(unit, value, raw, annotation): numbers compare as numbers (1000 = 1000.0)."""
    (ou, ov, orw, oa), (nu, nv, nrw, na) = old, new
    if (ov is None) != (nv is None) or (ov is not None and Decimal(ov) != Decimal(nv)):
        return False
    return (ou, orw, oa) == (nu, nrw, na)

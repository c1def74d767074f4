"""The writes of a correction or an extension (statdb/revisions/revise.py), inside its unit of work.

Cells are written through `observation` (its policies apply; the table's partition is reached by
the literal id, statdb README). A replaced cell's old unit, value, special character and annotation
go to stat_cell_revision first, under the version that held them."""

from __future__ import annotations

from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb.queries import of_table
from govstat.platform.subsystems.statdb.rows import StatTableRow
from govstat.platform.subsystems.statdb.tables import OBJ_IDS


async def record_original(uow: UnitOfWork, table: StatTableRow) -> None:
    """Version 1's row, written when the second version comes (registration stays as fast as it was)."""
    if table.version != 1:
        return
    await uow.execute(
        """INSERT INTO stat_table_version (table_id, version, tenant_id, kind, total_number, data_sha256, data_filename,
             created_by, created_at)
           VALUES ($1, 1, $2, 'original', $3, $4, $5, $6, coalesce($7::timestamptz, $8::timestamptz)) ON CONFLICT DO NOTHING""",
        table.id,
        table.tenant_id,
        table.total_number,
        table.data_sha256,
        table.data_filename,
        table.created_by,
        table.published_at or table.publish_at,
        table.created_at,
    )


async def correct(uow: UnitOfWork, table_id: int, held_in: int, changed: list[tuple[Any, ...]]) -> None:
    """changed: (seq, unit, value, raw, annotation) of the new cells; the old ones are kept."""
    seqs = [c[0] for c in changed]
    await uow.execute(
        f"""INSERT INTO stat_cell_revision (table_id, seq, version, tenant_id, unit, value, raw, annotation)
            SELECT o.table_id, o.seq, $2, o.tenant_id, o.unit, o.value, o.raw, o.annotation FROM observation o
            WHERE {of_table(table_id, "o.")} AND o.seq = ANY($1::int[])""",
        seqs,
        held_in,
    )
    await uow.execute(
        f"""UPDATE observation o SET unit = n.unit, value = n.value::numeric, raw = n.raw, annotation = n.annotation
            FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS n(seq, unit, value, raw, annotation)
            WHERE {of_table(table_id, "o.")} AND o.seq = n.seq""",
        seqs,
        [c[1] for c in changed],
        [c[2] for c in changed],
        [c[3] for c in changed],
        [c[4] for c in changed],
    )


async def append(
    uow: UnitOfWork,
    table_id: int,
    dims: list[str],
    conv: Any,
    records: list[tuple[Any, ...]],
    added: dict[str, list[str]],
    *,
    start: int,
) -> None:
    """New cells after the last (seq start+1 ...) and the new class items of the growing dimensions,
    after the existing ones, named as the file names them."""
    for obj, codes in added.items():
        if not codes:
            continue
        given = {i.code: i for i in conv.items.get(obj, [])}
        await uow.execute(
            """INSERT INTO class_item (table_id, tenant_id, obj_id, code, name, level, unit, parent_code, position)
               SELECT $1, govstat_scope_tenant(), $2::varchar, n.code, n.name, n.level, n.unit, n.parent,
                      (SELECT coalesce(max(position), 0) FROM class_item WHERE table_id = $1 AND obj_id = $2::varchar) + n.k
               FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::text[]) WITH ORDINALITY
                    AS n(code, name, level, unit, parent, k)""",
            table_id,
            obj,
            codes,
            [given[c].name if c in given else c for c in codes],
            [given[c].level if c in given else 1 for c in codes],
            [given[c].unit if c in given else None for c in codes],
            [given[c].parent if c in given else None for c in codes],
        )
    n = len(dims)
    cols = ", ".join(dims)
    arrays = ", ".join(f"${k + 2}::text[]" for k in range(n + 4))
    names = ", ".join([*dims, "unit", "value", "raw", "annotation"])
    mask = " | ".join(
        f"(CASE WHEN EXISTS (SELECT 1 FROM class_obj c WHERE c.table_id = $1 AND c.obj_id = '{o}' AND c.indexed)"
        f" THEN {1 << i} ELSE 0 END)"
        for i, o in enumerate(OBJ_IDS)
        if o in dims
    )
    await uow.execute(
        f"""INSERT INTO observation (table_id, tenant_id, seq, {cols}, unit, value, raw, annotation, indexed)
            SELECT $1, govstat_scope_tenant(), {int(start)} + n.k, {", ".join(f"n.{d}" for d in dims)}, n.unit,
                   n.value::numeric, n.raw, n.annotation, {mask or "0"}
            FROM unnest({arrays}) WITH ORDINALITY AS n({names}, k)""",
        table_id,
        *([r[1 + k] for r in records] for k in range(n)),
        [r[1 + n] for r in records],
        [r[2 + n] for r in records],
        [r[3 + n] for r in records],
        [r[4 + n] for r in records],
    )

"""Loading the shipped classifications and computing the correspondences (replaces earlier loads).

Row-level security forbids COPY FROM, so rows go in as INSERT ... SELECT FROM
unnest(arrays): one statement per table. Arrays of arrays (the paths) cannot pass
through unnest, so paths travel as one text per item with a separator and are split
back in SQL.
"""

from __future__ import annotations

from collections.abc import Callable

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.classification.correspondence import compare
from govstat.platform.subsystems.classification.parsing import (
    CORRESPONDENCES,
    ClassificationData,
    load_all,
    search_norm,
)

Progress = Callable[[str, int], None]
SEP = "\x1f"  # unit separator: in no name


async def load_into(
    uow: UnitOfWork, data: ClassificationData | None = None, progress: Progress | None = None
) -> dict[str, int]:
    data = data or load_all()
    note = progress or (lambda stage, n: None)
    # versions, items and correspondences cascade from the classification
    await uow.execute("DELETE FROM classification")
    note("cleared", 0)

    c = data.classifications
    await uow.execute(
        "INSERT INTO classification (code, name_ja, name_en) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
        [x.code for x in c],
        [x.name_ja for x in c],
        [x.name_en for x in c],
    )
    for v in data.versions:
        await uow.execute(
            """INSERT INTO classification_version (key, classification_code, ordinal, name_ja, name_en, revision_ja,
                   revision_en, revised, effective_from, level_names_ja, level_names_en, source)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
            v.key,
            v.classification,
            v.ordinal,
            v.name_ja,
            v.name_en,
            v.revision_ja,
            v.revision_en,
            v.revised,
            v.effective_from,
            list(v.level_names_ja),
            list(v.level_names_en),
            v.source,
        )
    note("versions", len(data.versions))

    total_items = 0
    for v in data.versions:
        items = v.items
        await uow.execute(
            """INSERT INTO classification_item (version_key, seq, code, level, name_ja, name_en, description,
                    parent_code, path_codes, path_names, search_names, search_description)
               SELECT $1, seq, code, level, name_ja, name_en, description, parent_code,
                      string_to_array(path_codes, E'\\x1f'), string_to_array(path_names, E'\\x1f'),
                      search_names, search_description
               FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                           $9::text[], $10::text[], $11::text[], $12::text[])
                    AS t(seq, code, level, name_ja, name_en, description, parent_code, path_codes, path_names,
                         search_names, search_description)""",
            v.key,
            list(range(1, len(items) + 1)),
            [i.code for i in items],
            [i.level for i in items],
            [i.name_ja for i in items],
            [i.name_en for i in items],
            [i.description for i in items],
            [i.parent_code for i in items],
            [SEP.join(i.path_codes) for i in items],
            [SEP.join(i.path_names) for i in items],
            [search_norm(f"{i.code} {i.name_ja} {i.name_en}") for i in items],
            [search_norm(i.description) for i in items],
        )
        total_items += len(items)
        note(f"items {v.key}", len(items))

    by_key = {v.key: v for v in data.versions}
    total_pairs = 0
    for old_key, new_key in CORRESPONDENCES:
        pairs = compare(by_key[old_key].items, by_key[new_key].items)
        await uow.execute(
            """INSERT INTO classification_correspondence (from_version, to_version, seq, level, kind, old_code, old_name,
                   new_code, new_name, rule, note)
               SELECT $1, $2, * FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                                            $9::text[], $10::text[], $11::text[])""",
            old_key,
            new_key,
            list(range(1, len(pairs) + 1)),
            [p.level for p in pairs],
            [p.kind for p in pairs],
            [p.old_code for p in pairs],
            [p.old_name for p in pairs],
            [p.new_code for p in pairs],
            [p.new_name for p in pairs],
            [p.rule for p in pairs],
            [p.note for p in pairs],
        )
        total_pairs += len(pairs)
        note(f"correspondence {old_key}->{new_key}", len(pairs))
    return {
        "classifications": len(c),
        "versions": len(data.versions),
        "items": total_items,
        "correspondence": total_pairs,
    }

"""Loading the published e-Stat area data into the database (replaces earlier loads).

Row-level security forbids COPY FROM, so rows go in as INSERT ... SELECT FROM
unnest(arrays): one statement per table, still fast.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area.history import AreaData, load_all

Progress = Callable[[str, int], None]


async def load_into(uow: UnitOfWork, data: AreaData | None = None, progress: Progress | None = None) -> dict[str, int]:
    data = data or load_all()
    note = progress or (lambda stage, n: None)
    await uow.execute("DELETE FROM area_version WHERE source = 'e-stat'")
    await uow.execute("DELETE FROM area_change WHERE source = 'e-stat'")  # links cascade
    note("cleared", 0)

    ids = [uuid.uuid4() for _ in data.changes]
    c = data.changes
    await uow.execute(
        """INSERT INTO area_change (id, code, pref_name, desig_name, name, name_kana, effective_on, reason, kind, source)
           SELECT *, 'e-stat' FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                          $7::date[], $8::text[], $9::text[])""",
        ids,
        [r.code for r in c],
        [r.pref_name for r in c],
        [r.desig_name for r in c],
        [r.name for r in c],
        [r.name_kana for r in c],
        [r.effective_on for r in c],
        [r.reason for r in c],
        [r.kind for r in c],
    )
    note("changes", len(c))

    v = data.versions
    await uow.execute(
        """INSERT INTO area_version (code, code6, pref_code, pref_name, desig_name, desig_kana, name, name_kana, level,
                                     valid_from, valid_to, source)
           SELECT *, 'e-stat' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                          $7::text[], $8::text[], $9::text[], $10::date[], $11::date[])""",
        [x.code for x in v],
        [x.code6 for x in v],
        [x.pref_code for x in v],
        [x.pref_name for x in v],
        [x.desig_name for x in v],
        [x.desig_kana for x in v],
        [x.name for x in v],
        [x.name_kana for x in v],
        [x.level for x in v],
        [x.valid_from for x in v],
        [x.valid_to for x in v],
    )
    note("versions", len(v))

    # The same event is published once per code involved: keep each succession once.
    seen: dict[tuple[str, str, dt.date], uuid.UUID] = {}
    links = []
    for change_id, record in zip(ids, c, strict=False):
        for link in record.links:
            key = (link.old_code, link.new_code, record.effective_on)
            if key not in seen:
                seen[key] = change_id
                links.append((change_id, link, record.effective_on))
    await uow.execute(
        """INSERT INTO area_link (change_id, old_code, old_name, new_code, new_name, effective_on)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[])""",
        [x[0] for x in links],
        [x[1].old_code for x in links],
        [x[1].old_name for x in links],
        [x[1].new_code for x in links],
        [x[1].new_name for x in links],
        [x[2] for x in links],
    )
    note("links", len(links))
    return {"changes": len(c), "versions": len(v), "links": len(links)}

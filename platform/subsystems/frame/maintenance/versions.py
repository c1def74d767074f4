"""A change to a unit is a new version from its effective day: the current version ends that day
(or is replaced when it began that very day); nothing before it changes, so the register as of any
earlier day stays as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput

EST_FIELDS = ("enterprise_id", "role", "name", "name_kana", "area_code", "postal_code", "address", "jsic14", "jsic13",
              "employees", "sales_class", "status")  # fmt: skip
ENT_FIELDS = ("corporate_number", "name", "name_kana", "legal_form", "status")


async def change(
    uow: UnitOfWork, table: str, unit_id: int, day: dt.date, changes: dict[str, Any], kind: str, reason: str
) -> bool:
    """Write `changes` as the unit's version from `day`; False when nothing actually changes."""
    fields = EST_FIELDS if table == "frame_establishment" else ENT_FIELDS
    cur = await uow.fetchrow(f"SELECT * FROM {table} WHERE id = $1 AND valid_to IS NULL FOR UPDATE", unit_id)
    if cur is None:
        raise InvalidInput.field("id", f"{unit_id} は登録されていません / no current version of unit {unit_id}")
    new = {f: cur[f] for f in fields} | {k: v for k, v in changes.items() if k in fields}
    if all(new[f] == cur[f] for f in fields):
        return False
    if day < cur["valid_from"]:
        raise InvalidInput.field(
            "effective_on", f"現在の版（{cur['valid_from']}〜）より前です / before the current version"
        )
    if day == cur["valid_from"]:
        await uow.execute(f"DELETE FROM {table} WHERE id = $1 AND valid_from = $2", unit_id, day)
    else:
        await uow.execute(f"UPDATE {table} SET valid_to = $2 WHERE id = $1 AND valid_to IS NULL", unit_id, day)
    cols = ("id", "valid_from", *fields, "change_kind", "change_reason", "changed_by")
    values = (unit_id, day, *(new[f] for f in fields), kind, reason, uow.scope.actor)
    marks = ", ".join(f"${i}" for i in range(1, len(cols) + 1))
    await uow.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", *values)
    return True


async def next_ids(uow: UnitOfWork) -> tuple[int, int]:
    ent = int(await uow.fetchval("SELECT coalesce(max(id), 0) + 1 FROM frame_enterprise"))
    est = int(await uow.fetchval("SELECT coalesce(max(id), 0) + 1 FROM frame_establishment"))
    return ent, est


async def birth(
    uow: UnitOfWork, day: dt.date, ent: dict[str, Any], est: dict[str, Any] | None, reason: str
) -> tuple[int, int | None]:
    """A new enterprise (and its first establishment, which gets its PRN now, once, for life)."""
    from govstat.platform.subsystems.frame.sampling import new_prns

    ent_id, est_id = await next_ids(uow)
    known = ent.get("corporate_number") and await uow.fetchval(
        "SELECT id FROM frame_enterprise WHERE corporate_number = $1 AND valid_to IS NULL", ent["corporate_number"]
    )
    if known and est is not None:  # a new establishment of a known enterprise: a branch
        ent_id = int(known)
    else:
        await _enterprise(uow, ent_id, day, ent, reason)
    if est is None:
        return ent_id, None
    role = "branch" if known else "single"
    await uow.execute("INSERT INTO frame_establishment (id, valid_from, enterprise_id, role, name, name_kana, area_code,"
                      " postal_code, address, jsic14, employees, sales_class, status, change_kind, change_reason, changed_by)"
                      " VALUES ($1, $2, $3, $14, $4, $5, $6, $7, $8, $9, $10, $11, 'active', 'birth', $12, $13)",
                      est_id, day, ent_id, est["name"], est.get("name_kana", ""), est["area_code"], est["postal_code"],
                      est.get("address", ""), est["jsic14"], est["employees"], 0, reason, uow.scope.actor, role)  # fmt: skip
    await uow.execute("INSERT INTO frame_prn (establishment_id, prn, assigned_on, origin) VALUES ($1, $2, $3, 'birth')",
                      est_id, float(new_prns(1)[0]), day)  # fmt: skip
    return ent_id, est_id


async def _enterprise(uow: UnitOfWork, ent_id: int, day: dt.date, ent: dict[str, Any], reason: str) -> None:
    await uow.execute("INSERT INTO frame_enterprise (id, valid_from, corporate_number, name, name_kana, legal_form, status,"
                      " change_kind, change_reason, changed_by) VALUES ($1, $2, $3, $4, $5, $6, 'active', 'birth', $7, $8)",
                      ent_id, day, ent.get("corporate_number"), ent["name"], ent.get("name_kana", ""),
                      ent.get("legal_form", "株式会社"), reason, uow.scope.actor)  # fmt: skip

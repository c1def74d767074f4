"""Mergers and splits of establishments (合併・分割), by the inheritance rules of docs/frame.md:

- merger: the unit with the most employees before it (on a tie the older, lower id) continues with
  its id and PRN and the sum of the employees; every other unit ends (status closed, kind `merged`);
- split: the unit that keeps the location continues with its id and PRN (the remaining employees);
  every part that leaves is a birth, with a new id and a new PRN from the uniform generator.

A PRN is never moved, copied or drawn again for a unit that has one: only births draw numbers, so
the living units' PRNs stay uniform and past samples keep their place on the circle."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.frame.events import UnitsMerged, UnitSplit
from govstat.platform.subsystems.frame.maintenance import versions
from govstat.platform.subsystems.frame.schemas import MergeIn, Reshaped, SplitIn

TABLE = "frame_establishment"


async def _prn(uow: UnitOfWork, unit_id: int) -> float:
    return float(await uow.fetchval("SELECT prn FROM frame_prn WHERE establishment_id = $1", unit_id))


def survivor(employees: dict[int, int]) -> int:
    """Who continues a merger: the most employees; on a tie the older unit (the lower id)."""
    return max(employees, key=lambda i: (employees[i], -i))


async def merge(uow: UnitOfWork, data: MergeIn) -> Reshaped:
    ids = list(dict.fromkeys(data.units))
    if len(ids) < 2:
        raise InvalidInput.field("units", "異なる2つ以上の事業所を指定してください / two or more different units")
    rows = {r["id"]: r for r in await uow.fetch(f"SELECT id, employees, status FROM {TABLE} WHERE id = ANY($1)"
                                                 " AND valid_to IS NULL FOR UPDATE", ids)}  # fmt: skip
    if missing := [i for i in ids if i not in rows]:
        raise NotFound(f"事業所 {', '.join(map(str, missing))} は登録されていません / no such establishment")
    if closed := [i for i in ids if rows[i]["status"] == "closed"]:
        raise InvalidInput.field("units", f"閉鎖済みの事業所です / closed already: {', '.join(map(str, closed))}")
    keep = survivor({i: int(rows[i]["employees"]) for i in ids})
    ended = [i for i in ids if i != keep]
    total = sum(int(r["employees"]) for r in rows.values())
    note = f"合併 {', '.join(map(str, ended))} → {keep}: {data.reason}"
    await versions.change(uow, TABLE, keep, data.effective_on, {"employees": total}, "merger", note)
    for unit_id in ended:
        await versions.change(uow, TABLE, unit_id, data.effective_on, {"status": "closed"}, "merged", note)
    await audit(uow, "frame.register.merged", tenant_id=None, target_type=TABLE, target_id=keep, module="frame",
                ended=ended, reason=data.reason)  # fmt: skip
    await emit(uow, UnitsMerged(survivor=keep, ended=ended, effective_on=data.effective_on))
    return Reshaped(continues=keep, prn=await _prn(uow, keep), ended=ended)


async def split(uow: UnitOfWork, unit_id: int, data: SplitIn) -> Reshaped:
    cur = await uow.fetchrow(f"SELECT * FROM {TABLE} WHERE id = $1 AND valid_to IS NULL FOR UPDATE", unit_id)
    if cur is None:
        raise NotFound(f"事業所 {unit_id} は登録されていません / no establishment {unit_id}")
    if cur["status"] == "closed":
        raise InvalidInput.field("unit_id", "閉鎖済みの事業所です / the establishment is closed")
    valid = await area.valid_on(uow, data.effective_on)
    for i, part in enumerate(data.parts):
        if part.area_code is not None and part.area_code not in valid:
            raise InvalidInput.field(f"parts[{i}].area_code", "その日に有効な地域コードではありません / not valid then")
    note = f"分割 {unit_id}: {data.reason}"
    stays = {"employees": data.employees} | ({"role": "head"} if cur["role"] == "single" else {})
    await versions.change(uow, TABLE, unit_id, data.effective_on, stays, "split", note)
    _, first = await versions.next_ids(uow)
    # Imported on first use: numpy, which few requests need (issue 15, the app's base RSS)
    from govstat.platform.subsystems.frame.sampling import new_prns

    prns = [float(p) for p in new_prns(len(data.parts))]
    born: dict[str, float] = {}
    for n, (part, prn) in enumerate(zip(data.parts, prns, strict=True)):
        new_id = first + n
        await uow.execute(f"INSERT INTO {TABLE} (id, valid_from, enterprise_id, role, name, name_kana, area_code,"
                          " postal_code, address, jsic14, jsic13, employees, sales_class, status, change_kind,"
                          " change_reason, changed_by) VALUES ($1, $2, $3, 'branch', $4, '', $5, $6, $7, $8, NULL, $9,"
                          " 0, 'active', 'birth', $10, $11)",
                          new_id, data.effective_on, cur["enterprise_id"], part.name, part.area_code or cur["area_code"],
                          part.postal_code or cur["postal_code"], part.address or cur["address"],
                          part.jsic14 or cur["jsic14"], part.employees, note, uow.scope.actor)  # fmt: skip
        await uow.execute("INSERT INTO frame_prn (establishment_id, prn, assigned_on, origin) VALUES ($1, $2, $3, $4)",
                          new_id, prn, data.effective_on, f"split:{unit_id}")  # fmt: skip
        born[str(new_id)] = prn
    ids = [int(i) for i in born]
    await audit(uow, "frame.register.split", tenant_id=None, target_type=TABLE, target_id=unit_id, module="frame",
                born=ids, reason=data.reason)  # fmt: skip
    await emit(uow, UnitSplit(unit_id=unit_id, born=ids, effective_on=data.effective_on))
    return Reshaped(continues=unit_id, prn=await _prn(uow, unit_id), born=born)

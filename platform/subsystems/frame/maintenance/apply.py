"""Applying checked maintenance records to the register, each a new version from the run's day,
counted into the run's change report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.frame.maintenance.inputs import Checks
from govstat.platform.subsystems.frame.maintenance.versions import birth, change


async def census(uow: UnitOfWork, rec: dict[str, Any], day: dt.date, report: Counter[str], reason: str) -> None:
    """A survey result: a known establishment's attributes as found, or a new establishment."""
    place = {k: rec[k] for k in ("name", "name_kana", "area_code", "postal_code", "address", "jsic14", "employees")}
    if not rec["id"]:
        await birth(uow, day, {"corporate_number": rec["corporate_number"] or None, "name": rec["name"],
                               "name_kana": rec["name_kana"]}, place, reason)  # fmt: skip
        report["new"] += 1
        return
    # Imported on first use: numpy, which few requests need (issue 15, the app's base RSS)
    from govstat.platform.subsystems.frame.generator import sales_class

    place["sales_class"] = sales_class(int(rec["employees"]))
    changed = await change(uow, "frame_establishment", int(rec["id"]), day, place, "census", reason)
    report["changed" if changed else "unchanged"] += 1


async def corporate(uow: UnitOfWork, rec: dict[str, Any], day: dt.date, report: Counter[str], reason: str) -> None:
    """An administrative record about a corporation, found by its corporate number."""
    ent = await uow.fetchval(
        "SELECT id FROM frame_enterprise WHERE corporate_number = $1 AND valid_to IS NULL", rec["corporate_number"]
    )
    process = rec["process"]
    if process == "new":
        if ent is not None:
            report["already_known"] += 1
            return
        await birth(uow, day, {"corporate_number": rec["corporate_number"], "name": rec["name"],
                               "name_kana": rec["name_kana"]}, None, reason)  # fmt: skip
        report["new"] += 1
        return
    if ent is None:
        raise InvalidInput.field("法人番号", "登録されていない法人です / no enterprise with this number")
    heads = [r[0] for r in await uow.fetch("SELECT id FROM frame_establishment WHERE enterprise_id = $1 AND valid_to IS NULL"
                                           " AND role IN ('single', 'head')", ent)]  # fmt: skip
    if process == "renamed":
        await change(
            uow, "frame_enterprise", ent, day, {"name": rec["name"], "name_kana": rec["name_kana"]}, "renamed", reason
        )
    elif process == "moved":
        for h in heads:
            place = {k: rec[k] for k in ("area_code", "postal_code", "address")}
            await change(uow, "frame_establishment", h, day, place, "moved", reason)
    else:
        await change(uow, "frame_enterprise", ent, day, {"status": "closed"}, "closed", reason)
        for (e,) in await uow.fetch(
            "SELECT id FROM frame_establishment WHERE enterprise_id = $1 AND valid_to IS NULL", ent
        ):
            await change(uow, "frame_establishment", e, day, {"status": "closed"}, "closed", reason)
    report[process] += 1


async def one(uow: UnitOfWork, kind: str, line: int, rec: dict[str, Any], day: dt.date, report: Counter[str],
              checks: Checks, reason: str) -> None:  # fmt: skip
    """One line in a savepoint: a refused line is an error of its own, the others go on."""
    tx = uow.connection.transaction()
    await tx.start()
    try:
        await (census if kind == "census" else corporate)(uow, rec, day, report, reason)
    except InvalidInput as exc:
        await tx.rollback()
        for e in exc.errors:
            checks.error(line, e.field, e.message)
        return
    await tx.commit()

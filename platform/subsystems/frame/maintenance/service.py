"""Use cases of the register's upkeep: queue a maintenance run, follow area mergers, the operator's
manual edits with reasons, and the list of postal codes that do not fit their area code."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.frame import postal, queries
from govstat.platform.subsystems.frame.events import RegisterMaintained
from govstat.platform.subsystems.frame.maintenance import versions
from govstat.platform.subsystems.frame.rows import Establishment, RunRow
from govstat.platform.subsystems.frame.schemas import EditIn

MAX_FILE = 20 * 1024 * 1024


async def create_run(uow: UnitOfWork, kind: str, effective_on: dt.date, filename: str, content: bytes) -> RunRow:
    if kind not in ("census", "corporate"):
        raise InvalidInput.field("kind", "census または corporate / census or corporate")
    if not content:
        raise InvalidInput.field("file", "ファイルを添付してください / attach the file")
    row = await uow.row(RunRow, "INSERT INTO frame_run (id, kind, status, filename, source, effective_on, created_by)"
                        " VALUES ($1, $2, 'queued', $3, $4, $5, $6) RETURNING id, kind, status, filename, effective_on,"
                        " total, done, report, errors, created_by, created_at, finished_at",
                        uuid.uuid4(), kind, filename[:200], content, effective_on, uow.scope.actor)  # fmt: skip
    assert row is not None
    await audit(uow, "frame.run.queued", tenant_id=None, target_type="frame_run", target_id=row.id, module="frame",
                kind=kind, filename=filename, size=len(content))  # fmt: skip
    return row


RUN_COLUMNS = (
    "id, kind, status, filename, effective_on, total, done, report, errors, created_by, created_at, finished_at"
)


async def runs(uow: UnitOfWork) -> list[RunRow]:
    return await uow.rows(RunRow, f"SELECT {RUN_COLUMNS} FROM frame_run ORDER BY created_at DESC LIMIT 100")


async def get_run(uow: UnitOfWork, run_id: uuid.UUID) -> RunRow:
    return await uow.one(RunRow, f"SELECT {RUN_COLUMNS} FROM frame_run WHERE id = $1", run_id, what="維持管理処理")


async def follow_areas(uow: UnitOfWork, after: dt.date, until: dt.date, source: str = "manual") -> RunRow:
    """Move every current establishment forward through the area successions effective in (after, until]
    (廃置分合: merger, code change; the area module's `follow`), each step a new version with the
    succession as its reason. A code split in several (分割, 分離) is not guessed: its units are
    counted in the report under `review:` for the operator to place by hand."""
    report: Counter[str] = Counter()
    codes = [r[0] for r in await uow.fetch("SELECT DISTINCT area_code FROM frame_establishment WHERE valid_to IS NULL")]
    for _code, went in sorted((await area.forward(uow, codes, after, until)).items()):
        for step in went.steps:
            ids = [r[0] for r in await uow.fetch("SELECT id FROM frame_establishment WHERE valid_to IS NULL"
                                                 " AND area_code = $1 AND valid_from <= $2 ORDER BY id",
                                                 step.old_code, step.effective_on)]  # fmt: skip
            reason = f"廃置分合等 {step.old_code}→{step.new_code}（{step.effective_on}）"
            for unit_id in ids:
                change = {"area_code": step.new_code}
                if await versions.change(
                    uow, "frame_establishment", unit_id, step.effective_on, change, "area", reason
                ):
                    report[f"{step.old_code}->{step.new_code}"] += 1
        if went.split:
            held = await uow.fetchval("SELECT count(*) FROM frame_establishment WHERE valid_to IS NULL"
                                      " AND area_code = $1", went.code)  # fmt: skip
            if held:
                report[f"review:{went.code}->{'/'.join(went.split)}"] += int(held)
    moved = sum(n for k, n in report.items() if not k.startswith("review:"))
    row = await uow.row(RunRow, "INSERT INTO frame_run (id, kind, status, filename, effective_on, total, done, report,"
                        f" created_by, finished_at) VALUES ($1, 'areas', 'done', $6, $2, $3, $3, $4::jsonb, $5, now())"
                        f" RETURNING {RUN_COLUMNS}", uuid.uuid4(), until, moved,
                        msgspec.json.encode(dict(report)).decode(), uow.scope.actor, source[:200])  # fmt: skip
    assert row is not None
    await audit(uow, "frame.register.areas_followed", tenant_id=None, target_type="frame_run", target_id=row.id,
                module="frame", moved=moved, source=source)  # fmt: skip
    await emit(uow, RegisterMaintained(run_id=row.id, run_kind="areas", changed=moved))
    return row


async def edit(uow: UnitOfWork, unit_id: int, data: EditIn) -> list[Establishment]:
    changes: dict[str, Any] = {k: v for k, v in msgspec.structs.asdict(data).items()
                               if v is not None and k not in ("effective_on", "reason")}  # fmt: skip
    if not changes:
        raise InvalidInput.field("name", "変更する項目がありません / nothing to change")
    if "area_code" in changes and changes["area_code"] not in await area.valid_on(uow, data.effective_on):
        raise InvalidInput.field("area_code", "その日に有効な地域コードではありません / not valid on effective_on")
    await queries.versions(uow, unit_id)
    await versions.change(uow, "frame_establishment", unit_id, data.effective_on, changes, "manual", data.reason)
    await audit(uow, "frame.register.edited", tenant_id=None, target_type="frame_establishment", target_id=unit_id,
                module="frame", reason=data.reason, fields=sorted(changes))  # fmt: skip
    return await queries.versions(uow, unit_id)


class Mismatch(msgspec.Struct, kw_only=True):
    id: int
    name: str
    area_code: str
    postal_code: str
    problem: str


async def mismatches(uow: UnitOfWork, limit: int, offset: int) -> tuple[int, list[Mismatch]]:
    """Current establishments whose postal code is not Japan Post's for their area code, by id."""
    found = []
    for r in await uow.fetch("SELECT id, name, area_code, postal_code FROM frame_establishment WHERE valid_to IS NULL"
                             " AND status <> 'closed' ORDER BY id"):  # fmt: skip
        why = postal.mismatch(r["postal_code"], r["area_code"])
        if why:
            found.append(
                Mismatch(
                    id=r["id"], name=r["name"], area_code=r["area_code"], postal_code=r["postal_code"], problem=why
                )
            )
    return len(found), found[offset : offset + limit]

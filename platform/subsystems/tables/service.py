"""Use cases of the statistical table management system (TABLES-2, TABLES-3): register a table
file, finalise it (確定), schedule it (公表予約) and publish it at the announced time. Every
transition is audited in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.statdb.masters import ownership_problem
from govstat.platform.subsystems.statdb.service import check_future
from govstat.platform.subsystems.tables import files, handoff
from govstat.platform.subsystems.tables.events import FileFinalised, FilePublished, FileScheduled
from govstat.platform.subsystems.tables.rows import ProvisionClassRow, PublishedFile, TableFileRow
from govstat.platform.subsystems.tables.schemas import FileInfo
from govstat.platform.subsystems.tables.tables import ProvisionClass, TableFile

MODULE = "tables"


async def get(uow: UnitOfWork, file_id: uuid.UUID, *, for_update: bool = False) -> TableFileRow:
    """The file if the caller's own tenant holds it; another tenant's answers 404."""
    return await uow.repo(TableFile, TableFileRow).get(file_id, for_update=for_update)


async def register(
    uow: UnitOfWork, info: FileInfo, data: tuple[bytes, str], params: tuple[bytes, str] | None = None
) -> TableFileRow:
    content, filename = data
    fmt = files.detect(filename, content)
    reason = await ownership_problem(uow, info.gov_stat_code)
    if reason:
        raise InvalidInput.field("gov_stat_code", reason)
    if info.provision_class_id is not None:
        node = await uow.repo(ProvisionClass, ProvisionClassRow).first(ProvisionClass.id == info.provision_class_id)
        if node is None or node.gov_stat_code != info.gov_stat_code:
            raise InvalidInput.field(
                "provision_class_id", "この政府統計の提供分類ではありません / not a class of this statistic"
            )
    if params is not None:
        await handoff.check(uow, info, params[0], content, filename)  # the parameter file's errors, now
    file_id, sha = uuid.uuid4(), hashlib.sha256(content).hexdigest()
    row = await uow.repo(TableFile, TableFileRow).add(
        id=file_id,
        filename=filename,
        format=fmt,
        sha256=sha,
        size_bytes=len(content),
        has_params=params is not None,
        status="draft",
        created_by=uow.scope.actor,
        **{k: getattr(info, k) for k in info.__struct_fields__},
    )
    await uow.execute(
        "INSERT INTO table_file_blob (file_id, tenant_id, kind, sha256, content) VALUES ($1, $2, 'data', $3, $4)",
        file_id,
        row.tenant_id,
        sha,
        content,
    )
    if params is not None:
        await uow.execute(
            "INSERT INTO table_file_blob (file_id, tenant_id, kind, sha256, content) VALUES ($1, $2, 'params', $3, $4)",
            file_id,
            row.tenant_id,
            hashlib.sha256(params[0]).hexdigest(),
            params[0],
        )
    await audit(
        uow,
        "tables.file.registered",
        tenant_id=row.tenant_id,
        target_type="table_file",
        target_id=file_id,
        module=MODULE,
        title=info.title,
        sha256=sha,
        size_bytes=len(content),
        format=fmt,
    )
    return row


async def finalise(uow: UnitOfWork, file_id: uuid.UUID) -> TableFileRow:
    """確定: the content is fixed from now on. A file with a parameter file is handed over to the
    statistical database here, in this transaction (test mode there: the owner can preview it)."""
    row = await get(uow, file_id, for_update=True)
    if row.status != "draft":
        raise InvalidTransition(f"確定できるのは下書きだけです / only a draft is finalised (it is {row.status})")
    stats_data_id = await handoff.hand_over(uow, row) if row.has_params else None
    row = await uow.repo(TableFile, TableFileRow).update(
        file_id, status="finalised", finalised_at=_now(), updated_at=_now()
    )
    await audit(
        uow,
        "tables.file.finalised",
        tenant_id=row.tenant_id,
        target_type="table_file",
        target_id=file_id,
        module=MODULE,
        sha256=row.sha256,
        stats_data_id=stats_data_id,
    )
    await emit(uow, FileFinalised(file_id=file_id, stats_data_id=stats_data_id), tenant_id=row.tenant_id)
    return row


async def schedule(uow: UnitOfWork, file_id: uuid.UUID, publish_at: dt.datetime) -> TableFileRow:
    """公表予約 (or a new announced time, until it is published)."""
    row = await get(uow, file_id, for_update=True)
    if row.status not in ("finalised", "scheduled"):
        raise InvalidTransition(f"確定した未公表のファイルだけ予約できます / finalise it first (it is {row.status})")
    check_future(publish_at)
    row = await uow.repo(TableFile, TableFileRow).update(
        file_id, status="scheduled", publish_at=publish_at, updated_at=_now()
    )
    await handoff.schedule(uow, file_id, publish_at)
    await audit(
        uow,
        "tables.file.scheduled",
        tenant_id=row.tenant_id,
        target_type="table_file",
        target_id=file_id,
        module=MODULE,
        publish_at=publish_at,
    )
    await emit(uow, FileScheduled(file_id=file_id, publish_at=publish_at), tenant_id=row.tenant_id)
    return row


async def delete(uow: UnitOfWork, file_id: uuid.UUID) -> None:
    row = await get(uow, file_id, for_update=True)
    if row.status != "draft":
        raise InvalidTransition("確定したファイルは削除できません / only a draft is deleted")
    await uow.repo(TableFile).delete(file_id)  # blobs and usage cascade
    await audit(
        uow,
        "tables.file.deleted",
        tenant_id=row.tenant_id,
        target_type="table_file",
        target_id=file_id,
        module=MODULE,
        title=row.title,
    )


DUE = """
UPDATE table_file SET status = 'published', published_at = now(), updated_at = now()
WHERE id IN (SELECT id FROM table_file WHERE status = 'scheduled' AND publish_at <= now()
             ORDER BY publish_at LIMIT 500 FOR UPDATE SKIP LOCKED)
RETURNING id, tenant_id, title, gov_stat_code, table_no, publish_at
"""


async def publish_due(uow: UnitOfWork) -> list[PublishedFile]:
    """Publish the files that are due, with the database tables handed over from them, in one
    transaction (platform scope): never before publish_at, never half."""
    rows = await uow.rows(PublishedFile, DUE)
    linked = await handoff.publish(uow, [r.id for r in rows]) if rows else {}
    for r in rows:
        await audit(
            uow,
            "tables.file.published",
            tenant_id=r.tenant_id,
            target_type="table_file",
            target_id=r.id,
            module=MODULE,
            publish_at=r.publish_at,
            stats_data_id=linked.get(r.id),
        )
        await emit(
            uow,
            FilePublished(
                file_id=r.id,
                title=r.title,
                gov_stat_code=r.gov_stat_code,
                table_no=r.table_no,
                publish_at=r.publish_at,
                stats_data_id=linked.get(r.id),
            ),
            tenant_id=r.tenant_id,
        )
    return rows


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

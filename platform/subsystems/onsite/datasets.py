"""Use cases of an agency's microdata: register a dataset with its variables, load its file
(validated, then sealed under its own key), purge it at its retention date (the job) or before."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import TYPE_CHECKING

import msgspec

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.onsite.events import DatasetLoaded, DatasetPurged
from govstat.platform.subsystems.onsite.rows import DatasetRow
from govstat.platform.subsystems.onsite.schemas import DatasetIn, Variable
from govstat.platform.subsystems.onsite.tables import OnsiteDataset

if TYPE_CHECKING:
    import pyarrow as pa

MODULE = "onsite"
COLUMNS = columns(DatasetRow, "d.")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


async def register(uow: UnitOfWork, data: DatasetIn) -> DatasetRow:
    names = [v.name for v in data.variables]
    if len(set(names)) != len(names):
        raise InvalidInput.field("variables", "変数名が重複しています / duplicate variable names")
    if data.retention_until <= _today():
        raise InvalidInput.field("retention_until", "保存期限は将来の日付です / retention must end in the future")
    fields = msgspec.structs.asdict(data)
    fields["variables"] = msgspec.to_builtins(data.variables)
    row = await uow.repo(OnsiteDataset, DatasetRow).add(
        id=uuid.uuid4(), status="registered", created_by=uow.scope.actor, **fields
    )
    await audit(
        uow,
        "onsite.dataset.registered",
        tenant_id=row.tenant_id,
        target_type="onsite_dataset",
        target_id=row.id,
        module=MODULE,
        survey=data.survey_name,
        year=data.year,
    )
    return row


async def get(uow: UnitOfWork, dataset_id: uuid.UUID, *, for_update: bool = False) -> DatasetRow:
    return await uow.repo(OnsiteDataset, DatasetRow).get(dataset_id, for_update=for_update)


async def list_own(uow: UnitOfWork) -> list[DatasetRow]:
    w = Where().scoped(uow, "d.")
    return await uow.rows(
        DatasetRow, f"SELECT {COLUMNS} FROM onsite_dataset d WHERE {w} ORDER BY d.created_at DESC", *w.args
    )


async def catalogue(uow: UnitOfWork) -> list[DatasetRow]:
    """Loaded datasets (their descriptions only), as a researcher sees them before applying."""
    return await uow.rows(
        DatasetRow, f"SELECT {COLUMNS} FROM onsite_dataset d WHERE d.status = 'loaded' ORDER BY d.survey_name, d.year"
    )


async def get_loaded(uow: UnitOfWork, dataset_id: uuid.UUID) -> DatasetRow:
    """A loaded dataset's description, in any scope that may see it (a researcher's: the catalogue)."""
    row = await uow.row(
        DatasetRow, f"SELECT {COLUMNS} FROM onsite_dataset d WHERE d.id = $1 AND d.status = 'loaded'", dataset_id
    )
    if row is None:
        raise NotFound("調査票情報を利用できません / the dataset is not available")
    return row


def variables_of(row: DatasetRow) -> list[Variable]:
    return msgspec.convert(row.variables, list[Variable])


async def load(uow: UnitOfWork, dataset_id: uuid.UUID, filename: str, content: bytes) -> DatasetRow:
    from govstat.platform.subsystems.onsite import upload  # Arrow and AES load on first use

    row = await get(uow, dataset_id, for_update=True)
    if row.status != "registered":
        raise InvalidTransition(
            f"読み込めるのは登録直後だけです / only a registered dataset is loaded (it is {row.status})"
        )
    table = upload.parse(filename, content, variables_of(row))
    return await store(uow, row, table)


async def store(uow: UnitOfWork, row: DatasetRow, table: pa.Table) -> DatasetRow:
    from govstat.platform.subsystems.onsite import crypto, upload  # Arrow and AES load on first use

    plain = upload.to_parquet(table)
    sealed = crypto.seal(row.id, plain)
    await uow.execute(
        "INSERT INTO onsite_dataset_blob (dataset_id, tenant_id, nonce, ciphertext) VALUES ($1, $2, $3, $4)",
        row.id,
        row.tenant_id,
        sealed.nonce,
        sealed.ciphertext,
    )
    row = await uow.repo(OnsiteDataset, DatasetRow).update(
        row.id,
        status="loaded",
        row_count=table.num_rows,
        sha256=hashlib.sha256(plain).hexdigest(),
        wrapped_key=sealed.wrapped_key,
        key_nonce=sealed.key_nonce,
        loaded_at=dt.datetime.now(dt.UTC),
    )
    await audit(
        uow,
        "onsite.dataset.loaded",
        tenant_id=row.tenant_id,
        target_type="onsite_dataset",
        target_id=row.id,
        module=MODULE,
        rows=table.num_rows,
        sha256=row.sha256,
    )
    await emit(uow, DatasetLoaded(dataset_id=row.id, row_count=table.num_rows), tenant_id=row.tenant_id)
    return row


async def content(uow: UnitOfWork, dataset_id: uuid.UUID) -> pa.Table:
    """The decrypted table. Row-level security answers the blob only to the owner's scope or to a
    researcher whose grant covering this dataset is live at this moment: that gate runs on every
    call; behind it, the decoded table is kept in this process's memory for a few minutes
    (memory.py), so a session's queries do not decrypt and decode it each time."""
    from govstat.platform.subsystems.onsite import crypto, memory, upload  # Arrow and AES load on first use

    sha = await uow.fetchval(
        "SELECT d.sha256 FROM onsite_dataset_blob b JOIN onsite_dataset d ON d.id = b.dataset_id"
        " WHERE b.dataset_id = $1 AND d.status = 'loaded'",
        dataset_id,
    )
    if sha is None:
        raise NotFound("調査票情報を利用できません / the dataset is not available to you")
    held = memory.get(dataset_id, sha)
    if held is not None:
        return held
    rec = await uow.fetchrow(
        "SELECT d.wrapped_key, d.key_nonce, b.nonce, b.ciphertext FROM onsite_dataset_blob b"
        " JOIN onsite_dataset d ON d.id = b.dataset_id WHERE b.dataset_id = $1",
        dataset_id,
    )
    assert rec is not None
    sealed = crypto.Sealed(
        bytes(rec["wrapped_key"]), bytes(rec["key_nonce"]), bytes(rec["nonce"]), bytes(rec["ciphertext"])
    )
    return memory.put(dataset_id, sha, upload.from_parquet(crypto.unseal(dataset_id, sealed)))


async def purge(uow: UnitOfWork, dataset_id: uuid.UUID, reason: str) -> DatasetRow:
    """The content and its wrapped key are dropped (crypto-shredding); open sessions on it close."""
    from govstat.platform.subsystems.onsite import memory  # Arrow and AES load on first use

    row = await get(uow, dataset_id, for_update=True)
    if row.status == "purged":
        return row
    await uow.execute("DELETE FROM onsite_dataset_blob WHERE dataset_id = $1", dataset_id)
    memory.forget(dataset_id)
    row = await uow.repo(OnsiteDataset, DatasetRow).update(
        dataset_id, status="purged", wrapped_key=None, key_nonce=None, purged_at=dt.datetime.now(dt.UTC)
    )
    await uow.execute(
        "UPDATE onsite_visit v SET closed_at = now(), close_reason = 'dataset_purged' FROM onsite_grant g"
        " WHERE g.id = v.grant_id AND v.closed_at IS NULL AND $1::text = ANY (g.dataset_ids)",
        str(dataset_id),
    )
    await audit(
        uow,
        "onsite.dataset.purged",
        tenant_id=row.tenant_id,
        target_type="onsite_dataset",
        target_id=dataset_id,
        module=MODULE,
        reason=reason,
    )
    await emit(uow, DatasetPurged(dataset_id=dataset_id), tenant_id=row.tenant_id)
    return row


async def purge_expired(uow: UnitOfWork) -> list[uuid.UUID]:
    """Every dataset past its retention date (a system scope: the daily job)."""
    ids = [
        r["id"]
        for r in await uow.fetch(
            "SELECT id FROM onsite_dataset WHERE status <> 'purged' AND retention_until < $1 ORDER BY id", _today()
        )
    ]
    for dataset_id in ids:
        await purge(uow, dataset_id, "retention")
    return ids

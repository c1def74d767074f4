"""Grants (利用承認): a researcher applies (purpose, datasets, variables, term, facilities); the
agency that owns the datasets approves or refuses. A grant is live while approved, started and
not expired; nothing of a dataset is reachable without one, and it ends at expires_at by itself
(every check compares the clock, row-level security included)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.clock import JST
from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.subsystems.onsite import trail
from govstat.platform.subsystems.onsite.events import GrantDecided
from govstat.platform.subsystems.onsite.rows import DatasetRow, GrantRow
from govstat.platform.subsystems.onsite.schemas import DecisionIn, GrantIn
from govstat.platform.subsystems.onsite.tables import OnsiteGrant

MODULE = "onsite"
COLUMNS = columns(GrantRow, "g.")


def is_live(grant: GrantRow, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now(dt.UTC)
    return (
        grant.status == "approved"
        and grant.expires_at is not None
        and grant.starts_on <= now.astimezone(JST).date()
        and now < grant.expires_at
    )


async def apply(uow: UnitOfWork, data: GrantIn, researcher_name: str) -> GrantRow:
    if data.ends_on < data.starts_on:
        raise InvalidInput.field("ends_on", "終了日は開始日以後です / the term ends after it starts")
    ids = [str(d) for d in dict.fromkeys(data.dataset_ids)]
    found = await uow.rows(
        DatasetRow,
        f"SELECT {columns(DatasetRow, 'd.')} FROM onsite_dataset d WHERE d.id::text = ANY($1::text[]) AND d.status = 'loaded'",
        ids,
    )
    if len(found) != len(ids):
        raise InvalidInput.field("dataset_ids", "利用できない調査票情報があります / a dataset is not available")
    if len({d.tenant_id for d in found}) != 1:
        raise InvalidInput.field(
            "dataset_ids", "一つの府省等の調査票情報ごとに申請します / apply to one agency at a time"
        )
    names = {v["name"] for d in found for v in d.variables}
    unknown = sorted(set(data.variables) - names)
    if unknown:
        raise InvalidInput.field("variables", f"{', '.join(unknown)}: 調査票情報にない変数です / no such variables")
    if data.ends_on > min(d.retention_until for d in found):
        raise InvalidInput.field(
            "ends_on", "保存期限を越える期間は申請できません / the term outlasts the data's retention"
        )
    facilities = [str(f) for f in dict.fromkeys(data.facility_ids)]
    known = await uow.fetchval("SELECT count(*) FROM onsite_facility WHERE id::text = ANY($1::text[])", facilities)
    if known != len(facilities):
        raise InvalidInput.field("facility_ids", "登録されていない施設です / unknown facility")
    row = await uow.repo(OnsiteGrant, GrantRow).add(
        id=uuid.uuid4(),
        tenant_id=found[0].tenant_id,
        researcher_id=uuid.UUID(uow.scope.actor),
        researcher_name=researcher_name,
        purpose=data.purpose,
        dataset_ids=ids,
        variables=sorted(set(data.variables)),
        facility_ids=facilities,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        status="pending",
    )
    await trail.record(
        uow,
        "onsite.grant.applied",
        owner=row.tenant_id,
        target_type="onsite_grant",
        target_id=row.id,
        datasets=ids,
        variables=row.variables,
    )
    return row


async def mine(uow: UnitOfWork) -> list[GrantRow]:
    return await uow.rows(
        GrantRow,
        f"SELECT {COLUMNS} FROM onsite_grant g WHERE g.researcher_id::text = $1 ORDER BY g.created_at DESC",
        uow.scope.actor,
    )


async def of_researcher(uow: UnitOfWork, grant_id: uuid.UUID) -> GrantRow:
    row = await uow.row(
        GrantRow,
        f"SELECT {COLUMNS} FROM onsite_grant g WHERE g.id = $1 AND g.researcher_id::text = $2",
        grant_id,
        uow.scope.actor,
    )
    if row is None:
        raise NotFound("利用承認が見つかりません / grant not found")
    return row


async def queue(uow: UnitOfWork, status: str | None = None) -> list[GrantRow]:
    w = Where().scoped(uow, "g.").eq("g.status", status)
    return await uow.rows(
        GrantRow, f"SELECT {COLUMNS} FROM onsite_grant g WHERE {w} ORDER BY g.created_at DESC LIMIT 500", *w.args
    )


async def get(uow: UnitOfWork, grant_id: uuid.UUID, *, for_update: bool = False) -> GrantRow:
    return await uow.repo(OnsiteGrant, GrantRow).get(grant_id, for_update=for_update)


async def decide(uow: UnitOfWork, grant_id: uuid.UUID, data: DecisionIn) -> GrantRow:
    row = await get(uow, grant_id, for_update=True)
    if row.status != "pending":
        raise InvalidTransition(f"審査できるのは申請中だけです / only a pending grant is decided (it is {row.status})")
    now = dt.datetime.now(dt.UTC)
    end_of_term = dt.datetime.combine(row.ends_on + dt.timedelta(days=1), dt.time(), JST)
    expires = end_of_term
    if data.approve and data.expires_at is not None:
        if data.expires_at.tzinfo is None:
            raise InvalidInput.field("expires_at", "時差を付けてください / give a time zone")
        if not now < data.expires_at <= end_of_term:
            raise InvalidInput.field("expires_at", "申請期間の終わりまでの将来の時刻 / a future time within the term")
        expires = data.expires_at
    row = await uow.repo(OnsiteGrant, GrantRow).update(
        grant_id,
        status="approved" if data.approve else "refused",
        expires_at=expires if data.approve else None,
        decided_by=uow.scope.actor,
        decided_at=now,
        decision_note=data.note,
    )
    await trail.record(
        uow,
        "onsite.grant.approved" if data.approve else "onsite.grant.refused",
        owner=row.tenant_id,
        target_type="onsite_grant",
        target_id=grant_id,
        expires_at=row.expires_at,
    )
    await trail.event(uow, GrantDecided(grant_id=grant_id, approved=data.approve), owner=row.tenant_id)
    return row

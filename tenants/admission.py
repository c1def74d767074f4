"""Tenants and their admission (GOV-1, GOV-2, GOV-3).

Approved bodies (承認機関) move through a state machine; every step needs the
record the regulations ask for (written application, council decision with its
date and reference, a signed contract) and writes its audit event in the same
transaction. Constituent ministries (構成府省) are served under MIC's bulk contract.

    applied --council approves--> approved --contract signed--> contracted --activate--> active
       \\--council rejects--> rejected
    active --withdrawal applied--> withdrawal_applied --council approves--> withdrawal_approved
                                        \\--council rejects--> active
    withdrawal_approved --contract ended--> withdrawn
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from govstat.platform.cache import forget_subscriptions
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit
from govstat.tenants import schemas
from govstat.tenants.contacts import check_contacts_now, replace_contacts
from govstat.tenants.rows import (
    ApiKeyRow,
    ApplicationRow,
    BulkContractRow,
    ContractRow,
    DecisionRow,
    TenantRow,
    UserRow,
)
from govstat.tenants.tables import (
    ApiKey,
    AppUser,
    BulkContract,
    CouncilDecision,
    Tenant,
    TenantApplication,
    TenantContract,
)

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve_admission": (frozenset({"applied"}), "approved"),
    "reject_admission": (frozenset({"applied"}), "rejected"),
    "sign_contract": (frozenset({"approved"}), "contracted"),
    "activate": (frozenset({"contracted"}), "active"),
    "apply_withdrawal": (frozenset({"active"}), "withdrawal_applied"),
    "approve_withdrawal": (frozenset({"withdrawal_applied"}), "withdrawal_approved"),
    "reject_withdrawal": (frozenset({"withdrawal_applied"}), "active"),
    "end_contract": (frozenset({"withdrawal_approved"}), "withdrawn"),
}


def next_status(current: str, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise InvalidTransition(
            f"{action}: 状態 {current} では実行できません / not allowed in state {current}",
            state=current,
            action=action,
        )
    return target


async def _transition(uow: UnitOfWork, tenant_id: uuid.UUID, action: str, **values: Any) -> TenantRow:
    tenants = uow.repo(Tenant, TenantRow)
    tenant = await tenants.get(tenant_id, for_update=True)
    if tenant.kind != "approved_body":
        raise InvalidTransition(f"{action}: 承認機関のみ / only approved bodies go through admission")
    status = next_status(tenant.status, action)
    updated = await tenants.update(tenant_id, status=status, **values)
    uow.after_commit(lambda: forget_subscriptions(tenant_id))  # the gateway caches the status with them
    if status == "active":
        await check_contacts_now(uow)
    await audit(
        uow,
        f"tenant.{action}",
        tenant_id=tenant_id,
        target_type="tenant",
        target_id=tenant_id,
        module="auth",
        status_from=tenant.status,
        status_to=status,
    )
    return updated


async def create_bulk_contract(uow: UnitOfWork, data: schemas.BulkContractIn) -> BulkContractRow:
    if data.ends_on < data.starts_on:
        raise InvalidInput.field("ends_on", "開始日より前です / before starts_on")
    row = await uow.repo(BulkContract, BulkContractRow).add(id=uuid.uuid4(), **_fields(data))
    await audit(
        uow,
        "bulk_contract.created",
        tenant_id=None,
        target_type="bulk_contract",
        target_id=row.id,
        module="auth",
        reference=data.reference,
    )
    return row


async def create_constituent(uow: UnitOfWork, data: schemas.ConstituentIn, contacts: schemas.ContactsIn) -> TenantRow:
    """A constituent ministry becomes active at once under the bulk contract, with its two contacts."""
    await uow.repo(BulkContract, BulkContractRow).get(data.bulk_contract_id)
    tenant_id = uuid.uuid4()
    row = await uow.repo(Tenant, TenantRow).add(
        id=tenant_id,
        code=data.code,
        name_ja=data.name_ja,
        name_en=data.name_en,
        agency_code=data.agency_code,
        kind="constituent",
        status="active",
        bulk_contract_id=data.bulk_contract_id,
        plan="constituent",
        activated_at=dt.datetime.now(dt.UTC),
    )
    await replace_contacts(uow, tenant_id, contacts)
    await check_contacts_now(uow)
    await audit(
        uow,
        "tenant.constituent_created",
        tenant_id=tenant_id,
        target_type="tenant",
        target_id=tenant_id,
        module="auth",
        code=data.code,
    )
    return row


async def apply_admission(uow: UnitOfWork, data: schemas.ApplicationIn) -> TenantRow:
    tenant_id = uuid.uuid4()
    row = await uow.repo(Tenant, TenantRow).add(
        id=tenant_id,
        code=data.code,
        name_ja=data.name_ja,
        name_en=data.name_en,
        agency_code=data.agency_code,
        kind="approved_body",
        status="applied",
    )
    await uow.repo(TenantApplication, ApplicationRow).add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        kind="admission",
        submitted_on=data.submitted_on,
        document_ref=data.document_ref,
        reason=data.reason,
    )
    await audit(
        uow,
        "tenant.applied",
        tenant_id=tenant_id,
        target_type="tenant",
        target_id=tenant_id,
        module="auth",
        document_ref=data.document_ref,
    )
    return row


async def _decide(uow: UnitOfWork, tenant_id: uuid.UUID, kind: str, data: schemas.DecisionIn) -> TenantRow:
    action = f"{'approve' if data.outcome == 'approved' else 'reject'}_{kind}"
    applications = uow.repo(TenantApplication, ApplicationRow)
    application = await applications.first(
        TenantApplication.tenant_id == tenant_id,
        TenantApplication.kind == kind,
        TenantApplication.decision_id.is_null(),
    )
    if application is None:
        raise InvalidTransition(f"{kind}: 未決の申請がありません / no pending application")
    if data.decided_on < application.submitted_on:
        raise InvalidInput.field(
            "decided_on", f"申請日 {application.submitted_on} より前です / before the application was submitted"
        )
    decision = await uow.repo(CouncilDecision, DecisionRow).add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        subject=kind,
        outcome=data.outcome,
        decided_on=data.decided_on,
        reference=data.reference,
        summary=data.summary,
    )
    await applications.update(application.id, decision_id=decision.id)
    return await _transition(uow, tenant_id, action)


async def decide_admission(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.DecisionIn) -> TenantRow:
    return await _decide(uow, tenant_id, "admission", data)


async def sign_contract(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.ContractIn) -> TenantRow:
    tenant = await uow.repo(Tenant, TenantRow).get(tenant_id)
    next_status(tenant.status, "sign_contract")
    await uow.repo(TenantContract, ContractRow).add(id=uuid.uuid4(), tenant_id=tenant_id, **_fields(data))
    return await _transition(uow, tenant_id, "sign_contract")


async def activate(uow: UnitOfWork, tenant_id: uuid.UUID) -> TenantRow:
    """Only with a signed, open contract; the database checks the two contacts at commit."""
    contract = await uow.repo(TenantContract, ContractRow).first(
        TenantContract.tenant_id == tenant_id, TenantContract.ends_on.is_null()
    )
    if contract is None:
        raise InvalidTransition("activate: 契約が締結されていません / no signed contract")
    if not await uow.fetchval("SELECT tenant_contacts_complete($1)", tenant_id):
        raise InvalidTransition(
            "activate: 正副の連絡担当者が登録されていません / a primary and a deputy contact are needed first (GOV-6)"
        )
    return await _transition(uow, tenant_id, "activate", activated_at=dt.datetime.now(dt.UTC))


async def apply_withdrawal(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.WithdrawalIn) -> TenantRow:
    tenant = await uow.repo(Tenant, TenantRow).get(tenant_id)
    next_status(tenant.status, "apply_withdrawal")
    await uow.repo(TenantApplication, ApplicationRow).add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        kind="withdrawal",
        submitted_on=data.submitted_on,
        document_ref=data.document_ref,
        reason=data.reason,
    )
    return await _transition(uow, tenant_id, "apply_withdrawal")


async def decide_withdrawal(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.DecisionIn) -> TenantRow:
    return await _decide(uow, tenant_id, "withdrawal", data)


async def end_contract(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.ContractEndIn) -> TenantRow:
    from govstat.tenants.subscriptions import end_all_subscriptions

    tenant = await uow.repo(Tenant, TenantRow).get(tenant_id)
    next_status(tenant.status, "end_contract")
    contracts = uow.repo(TenantContract, ContractRow)
    contract = await contracts.first(TenantContract.tenant_id == tenant_id, TenantContract.ends_on.is_null())
    if contract is None:
        raise InvalidTransition("end_contract: 有効な契約がありません / no open contract")
    if data.ends_on < contract.starts_on:
        raise InvalidInput.field("ends_on", "契約開始日より前です / before the contract started")
    await contracts.update(contract.id, ends_on=data.ends_on, ended_reason=data.reason)
    await end_all_subscriptions(uow, tenant_id, data.ends_on)
    await _end_credentials(uow, tenant_id)
    return await _transition(uow, tenant_id, "end_contract")


async def _end_credentials(uow: UnitOfWork, tenant_id: uuid.UUID) -> None:
    """A withdrawn tenant's people and systems stop at once: sign-in and API-key lookups refuse a
    withdrawn tenant, but open sessions and the gateway's API-key cache would outlive it."""
    from govstat.platform.cache import end_user_sessions, forget_api_key

    user_ids = [r.id for r in await uow.repo(AppUser, UserRow).find(AppUser.tenant_id == tenant_id)]
    prefixes = [r.prefix for r in await uow.repo(ApiKey, ApiKeyRow).find(ApiKey.tenant_id == tenant_id)]

    async def forget() -> None:
        for user_id in user_ids:
            await end_user_sessions(user_id)
        for prefix in prefixes:
            await forget_api_key(prefix)

    uow.after_commit(forget)


def _fields(struct) -> dict[str, Any]:
    import msgspec

    return {k: v for k, v in msgspec.structs.asdict(struct).items() if v is not msgspec.UNSET}

"""Subscriptions of tenants to subsystem modules (GOV-1)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.cache import forget_subscriptions
from govstat.platform.clock import today_jst
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit
from govstat.tenants import schemas
from govstat.tenants.rows import SubscriptionRow, TenantRow
from govstat.tenants.tables import Subscription, Tenant


async def subscribe(
    uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.SubscriptionIn, known_modules: set[str]
) -> SubscriptionRow:
    if data.module_key not in known_modules:
        raise InvalidInput.field("module_key", f"未知のサブシステム / unknown subsystem {data.module_key!r}")
    tenant = await uow.repo(Tenant, TenantRow).get(tenant_id)
    if tenant.status not in ("active", "contracted"):
        raise InvalidTransition(
            f"subscribe: 状態 {tenant.status} の機関は利用登録できません / tenant is {tenant.status}"
        )
    row = await uow.repo(Subscription, SubscriptionRow).add(
        id=uuid.uuid4(), tenant_id=tenant_id, module_key=data.module_key, starts_on=data.starts_on or today_jst()
    )
    uow.after_commit(lambda: forget_subscriptions(tenant_id))
    await _audit(uow, "subscription.started", row)
    return row


async def unsubscribe(uow: UnitOfWork, tenant_id: uuid.UUID, module_key: str) -> SubscriptionRow:
    repo = uow.repo(Subscription, SubscriptionRow)
    row = await repo.first(
        Subscription.tenant_id == tenant_id, Subscription.module_key == module_key, Subscription.ends_on.is_null()
    )
    if row is None:
        raise NotFound(f"subscription {module_key} が見つかりません / not found")
    row = await repo.update(row.id, ends_on=max(today_jst(), row.starts_on))
    uow.after_commit(lambda: forget_subscriptions(tenant_id))
    await _audit(uow, "subscription.ended", row)
    return row


async def end_all_subscriptions(uow: UnitOfWork, tenant_id: uuid.UUID, on: dt.date) -> None:
    """Ends every subscription still open on `on`, also those that start later (they never start)."""
    uow.after_commit(lambda: forget_subscriptions(tenant_id))
    repo = uow.repo(Subscription, SubscriptionRow)
    for row in await repo.find(
        Subscription.tenant_id == tenant_id, Subscription.ends_on.is_null() | (Subscription.ends_on > on)
    ):
        await repo.update(row.id, ends_on=max(on, row.starts_on))
        await _audit(uow, "subscription.ended", row)


async def _audit(uow: UnitOfWork, action: str, row: SubscriptionRow) -> None:
    """The audit entry of a subscription started or ended: the tenant's, naming the row and its module."""
    await audit(
        uow,
        action,
        tenant_id=row.tenant_id,
        target_type="subscription",
        target_id=row.id,
        module="auth",
        module_key=row.module_key,
    )


async def active_subscriptions(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[SubscriptionRow]:
    today = today_jst()
    return await uow.repo(Subscription, SubscriptionRow).find(
        Subscription.tenant_id == tenant_id,
        Subscription.starts_on <= today,
        Subscription.ends_on.is_null() | (Subscription.ends_on > today),
        order_by=Subscription.module_key,
    )

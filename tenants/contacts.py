"""Contact persons (連絡担当者, GOV-6): exactly one primary and one deputy per active tenant.

The database enforces it (a partial unique index and a constraint trigger checked
at commit); a change ends the current person and starts the new one, so the
history stays.
"""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit
from govstat.tenants import schemas
from govstat.tenants.rows import ContactRow, TenantRow
from govstat.tenants.tables import ContactPerson, Tenant

# The constraint triggers of the GOV-6 rule (tenants_0001_core), deferred to COMMIT by default.
CONTACT_CONSTRAINTS = "tenant_contacts_on_tenant, tenant_contacts_on_contact"


async def replace_contacts(uow: UnitOfWork, tenant_id: uuid.UUID, contacts: schemas.ContactsIn) -> list[ContactRow]:
    for slot, contact in (("primary", contacts.primary), ("deputy", contacts.deputy)):
        if contact.role != slot:  # else one request could replace the deputy twice and leave the primary as it was
            raise InvalidInput.field(f"{slot}.role", f"{slot} でなければなりません / must be {slot!r}")
    return [await change_contact(uow, tenant_id, c) for c in (contacts.primary, contacts.deputy)]


async def check_contacts_now(uow: UnitOfWork) -> None:
    """Run the database's pending GOV-6 checks now rather than at COMMIT, so a violation is an
    ordinary statement error (rolled back and answered 409) and not a failed COMMIT."""
    await uow.execute(f"SET CONSTRAINTS {CONTACT_CONSTRAINTS} IMMEDIATE")
    await uow.execute(f"SET CONSTRAINTS {CONTACT_CONSTRAINTS} DEFERRED")


async def change_contact(uow: UnitOfWork, tenant_id: uuid.UUID, data: schemas.ContactIn) -> ContactRow:
    await uow.repo(Tenant, TenantRow).get(tenant_id)  # 404 for another tenant's id
    now = dt.datetime.now(dt.UTC)
    repo = uow.repo(ContactPerson, ContactRow)
    current = await repo.first(
        ContactPerson.tenant_id == tenant_id, ContactPerson.role == data.role, ContactPerson.valid_to.is_null()
    )
    if current is not None:
        await repo.update(current.id, valid_to=now)
    row = await repo.add(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        role=data.role,
        name=data.name,
        name_kana=data.name_kana,
        division=data.division,
        email=data.email,
        phone=data.phone,
        valid_from=now,
    )
    await audit(
        uow,
        "contact.changed",
        tenant_id=tenant_id,
        target_type="contact_person",
        target_id=row.id,
        module="auth",
        role=data.role,
        replaced=str(current.id) if current else None,
    )
    return row


async def current_contacts(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[ContactRow]:
    return await uow.repo(ContactPerson, ContactRow).find(
        ContactPerson.tenant_id == tenant_id,
        ContactPerson.valid_to.is_null(),
        order_by=ContactPerson.role,
        ascending=False,
    )


async def contact_history(uow: UnitOfWork, tenant_id: uuid.UUID) -> list[ContactRow]:
    return await uow.repo(ContactPerson, ContactRow).find(
        ContactPerson.tenant_id == tenant_id, order_by=ContactPerson.valid_from
    )

"""The operator's facilities (オンサイト施設): their network ranges and their terminals' device keys."""

from __future__ import annotations

import ipaddress
import secrets
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.events.audit import audit
from govstat.platform.subsystems.onsite import crypto
from govstat.platform.subsystems.onsite.rows import DeviceIssued, DeviceRow, FacilityRow
from govstat.platform.subsystems.onsite.schemas import DeviceIn, FacilityIn
from govstat.platform.subsystems.onsite.tables import OnsiteDevice, OnsiteFacility

MODULE = "onsite"


async def register(uow: UnitOfWork, data: FacilityIn) -> FacilityRow:
    ranges = []
    for i, text in enumerate(data.ranges):
        try:
            ranges.append(str(ipaddress.ip_network(text.strip(), strict=False)))
        except ValueError:
            raise InvalidInput.field(
                f"ranges[{i}]", f"{text!r} はネットワーク範囲ではありません / not a network range"
            ) from None
    row = await uow.repo(OnsiteFacility, FacilityRow).add(
        id=uuid.uuid4(), name=data.name, address=data.address, ranges=ranges
    )
    await audit(
        uow,
        "onsite.facility.registered",
        tenant_id=None,
        target_type="onsite_facility",
        target_id=row.id,
        module=MODULE,
        ranges=ranges,
    )
    return row


async def list_all(uow: UnitOfWork) -> list[FacilityRow]:
    return await uow.repo(OnsiteFacility, FacilityRow).find(order_by=OnsiteFacility.name)


async def get(uow: UnitOfWork, facility_id: uuid.UUID) -> FacilityRow:
    return await uow.repo(OnsiteFacility, FacilityRow).get(facility_id)


async def issue_device(uow: UnitOfWork, facility_id: uuid.UUID, data: DeviceIn) -> DeviceIssued:
    await get(uow, facility_id)
    device_id, secret = uuid.uuid4(), secrets.token_urlsafe(32)
    row = await uow.repo(OnsiteDevice, DeviceRow).add(
        id=device_id, facility_id=facility_id, label=data.label, key_hash=crypto.device_hash(secret)
    )
    await audit(
        uow,
        "onsite.device.issued",
        tenant_id=None,
        target_type="onsite_device",
        target_id=device_id,
        module=MODULE,
        facility_id=facility_id,
    )
    return DeviceIssued(device=row, credential=f"{device_id}.{secret}")


def address_in(ranges: list[str], address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(r) for r in ranges)


async def device_for(uow: UnitOfWork, credential: str) -> DeviceRow | None:
    """The live device a terminal's credential names, or None."""
    device_id, _, secret = credential.partition(".")
    try:
        key = uuid.UUID(device_id)
    except ValueError:
        return None
    rec = await uow.fetchrow("SELECT key_hash, revoked_at FROM onsite_device WHERE id = $1", key)
    if (
        rec is None
        or rec["revoked_at"] is not None
        or not secrets.compare_digest(rec["key_hash"], crypto.device_hash(secret))
    ):
        return None
    return await uow.repo(OnsiteDevice, DeviceRow).get(key)

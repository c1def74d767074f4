"""The audit log is tamper-evident: `govstat audit verify` names the first broken record."""

import uuid

import pytest

from govstat.ops import auditlog
from govstat.ops.consumers import AuditLogConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import AuditPayload, new_event
from govstat.platform.security import Scope
from tests.support.services import govstat_cli


async def _append(n: int) -> list[int]:
    consumer = AuditLogConsumer()
    for i in range(n):
        await consumer.apply(new_event(AuditPayload(action="test.chain", actor="t", target_id=f"{uuid.uuid4()}-{i}")))
    async with UnitOfWork(Scope.system()) as uow:
        return [r["seq"] for r in await uow.fetch("SELECT seq FROM audit_log ORDER BY seq DESC LIMIT $1", n)][::-1]


async def test_chain_links_each_record_to_the_previous():
    seqs = await _append(3)
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT seq, prev_hash, hash FROM audit_log WHERE seq = ANY($1) ORDER BY seq", seqs)
        assert await auditlog.verify_chain(uow) is None
    assert rows[1]["prev_hash"] == rows[0]["hash"] and rows[2]["prev_hash"] == rows[1]["hash"]


async def test_verify_names_the_first_tampered_record():
    seqs = await _append(4)
    target = seqs[1]
    # Tampering needs the table owner (the app role may not UPDATE the append-only log).
    import asyncpg

    from govstat.platform.settings import get_settings

    owner = await asyncpg.connect(get_settings().migration_database_url)
    try:
        await owner.execute("ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY")
        await owner.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = $1", target)
        with pytest.raises(RuntimeError) as failed:
            govstat_cli("audit", "verify")
        out = str(failed.value)
        assert f"seq={target}" in out
        async with UnitOfWork(Scope.system()) as uow:
            assert await auditlog.verify_chain(uow) == target
    finally:
        # repair, so later tests start from an intact chain
        await owner.execute("UPDATE audit_log SET actor = 't' WHERE seq = $1", target)
        await owner.execute("ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY")
        await owner.close()
    async with UnitOfWork(Scope.system()) as uow:
        assert await auditlog.verify_chain(uow) is None

"""BEGIN and the scope in one round trip (platform/db/begin.py, issue 10 §7): the settings arrive
whatever the actor's text holds, stay inside the transaction, and asyncpg's transaction state stays
right for commit, rollback, savepoints and the pool; a use case's held event and the call's audit
event are one outbox insert."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from asyncpg.connection import LoggedQuery

from govstat.platform.db.begin import literal
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import AuditPayload, Envelope, new_event
from govstat.platform.security import Scope
from govstat.platform.subsystems.online.events import AnswersSubmitted

ODD = ["o'brien", "back\\slash", "E'x\\'; SELECT 1; --", "二重'引用\\符", "$$ $tag$ ''", ""]
SETTINGS = (
    "SELECT current_setting('app.tenant_id') AS tenant, current_setting('app.role') AS role,"
    " current_setting('app.actor') AS actor, current_setting('statement_timeout') AS timeout,"
    " current_setting('transaction_read_only') AS ro, pg_backend_pid() AS pid"
)


@pytest.mark.parametrize("conforming", ["on", "off"])
async def test_literal_reads_back_as_the_text_whatever_it_holds(conforming):
    async with UnitOfWork(Scope.system("literal")) as uow:
        await uow.execute(f"SET LOCAL standard_conforming_strings = {conforming}")
        for text in ODD:
            assert await uow.fetchval(f"SELECT {literal(text)}::text") == text
    with pytest.raises(ValueError):
        literal("nul\x00")


async def test_scope_settings_arrive_and_end_with_the_transaction():
    tenant = uuid.uuid4()
    pids = set()
    for actor in ODD:
        async with UnitOfWork(Scope(tenant_id=tenant, role="agency", actor=actor), statement_timeout_ms=1234) as uow:
            got = await uow.fetchrow(SETTINGS)
            assert (got["tenant"], got["role"], got["actor"]) == (str(tenant), "agency", actor)
            assert (got["timeout"], got["ro"]) == ("1234ms", "off")
            assert uow.connection.is_in_transaction()
            pids.add(got["pid"])
    # the next user of any of these pooled connections starts with nothing of it
    for _ in range(12):
        async with UnitOfWork(Scope.system("next")) as uow:
            got = await uow.fetchrow(SETTINGS)
            assert (got["tenant"], got["role"], got["actor"]) == ("", "system", "next")
            assert got["timeout"] != "1234ms"


async def test_read_only_unit_refuses_writes():
    async with UnitOfWork.for_reads(Scope.system("reader")) as uow:
        assert (await uow.fetchrow(SETTINGS))["ro"] == "on"
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await uow.execute("CREATE TEMP TABLE nope (x int)")


async def test_commit_rollback_and_savepoints_keep_asyncpg_state():
    async with UnitOfWork(Scope.system("commit")) as uow:
        committed = await uow.fetchval("SELECT txid_current()")
        savepoint = uow.connection.transaction()  # nests as a SAVEPOINT in the open transaction
        await savepoint.start()
        await uow.execute("SELECT set_config('app.actor', 'inner', true)")
        await savepoint.rollback()
        assert await uow.fetchval("SELECT current_setting('app.actor')") == "commit"
    with pytest.raises(RuntimeError):
        async with UnitOfWork(Scope.system("rollback")) as uow:
            aborted = await uow.fetchval("SELECT txid_current()")
            raise RuntimeError("use case failed")
    async with UnitOfWork(Scope.system("check")) as uow:
        status = await uow.fetch("SELECT txid_status(x) AS s FROM unnest($1::bigint[]) x", [committed, aborted])
        assert [r["s"] for r in status] == ["committed", "aborted"]
        assert uow.connection.is_in_transaction()


async def test_a_held_event_and_the_next_are_one_insert():
    def event() -> Envelope:
        return new_event(
            AnswersSubmitted(
                survey_id=uuid.uuid4(),
                unit_id=uuid.uuid4(),
                area_code="29201",
                version_no=1,
                receipt_no="r",
                channel="web",
            ),
            None,
        )

    held, audit, at_commit, dropped = (
        event(),
        new_event(AuditPayload(action="held.test", actor="h"), None),
        event(),
        event(),
    )
    statements: list[str] = []

    def log(query: LoggedQuery) -> None:
        statements.append(query.query)

    async with UnitOfWork(Scope.system("held")) as uow:
        uow.connection.add_query_logger(log)
        await uow.record(held, hold=True)
        await uow.fetchval("SELECT 1")
        await asyncio.sleep(0)
        assert statements == ["SELECT 1"]  # held: nothing written yet
        await uow.record(audit)  # the call's audit event: one insert of both
        await asyncio.sleep(0)  # asyncpg calls query loggers soon after, not at once
        assert len([q for q in statements if "INSERT INTO outbox" in q]) == 1
        await uow.record(at_commit, hold=True)  # the last one: written just before COMMIT
        uow.connection.remove_query_logger(log)
    with pytest.raises(RuntimeError):
        async with UnitOfWork(Scope.system("held")) as uow:
            await uow.record(dropped, hold=True)
            raise RuntimeError("rolled back: the held event goes with it")
    async with UnitOfWork(Scope.system("check")) as uow:
        ids = [held.id, audit.id, at_commit.id, dropped.id]
        found = {r["id"] for r in await uow.fetch("SELECT id FROM outbox WHERE id = ANY($1::uuid[])", ids)}
    assert found == {held.id, audit.id, at_commit.id}

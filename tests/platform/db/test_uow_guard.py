"""One unit of work per request, never nested (issue 8): the guard refuses a second connection.

A request (or task) that holds a pooled connection and waits for a second one deadlocks the pool
under a crowd. The guard must see the nest even though Litestar resolves the `uow` dependency in a
child task (two dependencies in one batch), and it must not refuse units of work that follow one
another, nor the after-commit hooks that run once the request's transaction has ended.
"""

from __future__ import annotations

import logging

import httpx
import msgspec
import pytest
from litestar import Litestar, get

from govstat.platform.db.engine import DB
from govstat.platform.db.guard import NestedUnitOfWork, RequestUnits
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.problems import EXCEPTION_HANDLERS
from govstat.platform.security import Principal, Scope
from govstat.platform.settings import get_settings, set_settings
from govstat.platform.telemetry import prometheus_text
from govstat.platform.web.deps import DEPENDENCIES

seen: list[str] = []


@get("/nested")
async def nested(uow: UnitOfWork, principal: Principal) -> str:  # two dependencies: resolved in child tasks
    try:
        async with UnitOfWork(Scope.system("second")):
            return "opened a second connection"
    except NestedUnitOfWork:
        return "refused"


@get("/bare")
async def bare(uow: UnitOfWork, principal: Principal) -> str:
    try:
        await DB.run_ddl("SELECT 1")  # a Piccolo query outside the unit of work: a second connection
        return "ran on a second connection"
    except NestedUnitOfWork:
        return "refused"


@get("/sequential")
async def sequential() -> str:
    for _ in range(2):
        async with UnitOfWork(Scope.system("one-after-another")) as uow:
            await uow.fetchval("SELECT 1")
    return "ok"


@get("/after-commit")
async def after_commit(uow: UnitOfWork, principal: Principal) -> str:
    async def hook() -> None:
        async with UnitOfWork(Scope.system("hook")) as second:
            seen.append(await second.fetchval("SELECT 'hook ran'"))

    uow.after_commit(hook)
    return "ok"


@get("/statement-timeout")
async def statement_timeout(uow: UnitOfWork, principal: Principal) -> str:
    return await uow.fetchval("SHOW statement_timeout")


@get("/long-running")
async def long_running(uow: UnitOfWork, principal: Principal) -> str:
    await uow.long_running()  # an upload's ingestion
    return await uow.fetchval("SHOW statement_timeout")


def _client() -> httpx.AsyncClient:
    app = Litestar(
        [nested, bare, sequential, after_commit, statement_timeout, long_running],
        middleware=[RequestUnits],
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
    )  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_unit_of_work_opened_inside_the_requests_one_is_refused_across_dependency_tasks():
    async with _client() as c:
        assert (await c.get("/nested")).text == "refused"
        assert (await c.get("/bare")).text == "refused"


async def test_units_of_work_one_after_another_and_after_commit_hooks_are_allowed():
    seen.clear()
    async with _client() as c:
        assert (await c.get("/sequential")).text == "ok"
        assert (await c.get("/after-commit")).text == "ok"
    assert seen == ["hook ran"]


async def test_nesting_in_a_task_outside_requests_is_refused_and_the_outer_one_still_works():
    idle_before = DB.pool.get_idle_size() + (DB.pool.get_max_size() - DB.pool.get_size())
    async with UnitOfWork(Scope.system("outer")) as outer:
        with pytest.raises(NestedUnitOfWork):
            async with UnitOfWork(Scope.system("inner")):
                pass
        # refused before it took a connection: only the outer one is out
        assert DB.pool.get_idle_size() + (DB.pool.get_max_size() - DB.pool.get_size()) == idle_before - 1
        assert await outer.fetchval("SELECT 1") == 1
    async with UnitOfWork(Scope.system("next")) as after:  # the slot is free again
        assert await after.fetchval("SELECT 2") == 2


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def test_in_prod_a_nest_is_logged_and_counted_not_raised(app):  # app: telemetry installed
    before, records = get_settings(), _Records()
    logger = logging.getLogger("govstat.uow")
    set_settings(msgspec.structs.replace(before, env="prod"))
    logger.addHandler(records)
    try:
        async with _client() as c:  # the request goes on (on a second connection), as before the guard
            assert (await c.get("/nested")).text == "opened a second connection"
    finally:
        logger.removeHandler(records)
        set_settings(before)
    assert any("nested unit of work" in m for m in records.messages)
    assert b"govstat_uow_nested" in prometheus_text()


async def test_request_statements_are_bounded_by_the_setting_and_other_processes_are_not():
    before = get_settings()
    set_settings(msgspec.structs.replace(before, db_statement_timeout_ms=1234))
    try:
        async with _client() as c:
            assert (await c.get("/statement-timeout")).text == "1234ms"
            assert (await c.get("/long-running")).text == "10min"
    finally:
        set_settings(before)
    async with UnitOfWork(Scope.system("cli")) as uow:  # CLI, worker, relay, monitor: no limit
        assert await uow.fetchval("SHOW statement_timeout") == "0"
        await uow.long_running()
        assert await uow.fetchval("SHOW statement_timeout") == "0"

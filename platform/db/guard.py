"""One connection per request (or task) at a time: a unit of work never nests.

A request that holds a pooled connection while it waits for a second one deadlocks the pool once
enough such requests hold the first (issue 8: 25 readers of one page hung the whole server). So a
second unit of work (or a bare Piccolo query on the pool) while one is open is refused.

Where the open unit of work is remembered: a *slot*, a small mutable object in a context variable.
Litestar resolves a request's dependencies in child tasks, which get a copy of the context: a
plain "current unit of work" variable set there would be invisible to the handler. The request
middleware (`RequestUnits`) therefore puts a fresh slot into the request's context before anything
runs, and the copies share that one object. Outside requests (CLI, jobs, consumers) the first unit
of work creates the slot in its own context and removes it when it ends.

What a nest does: in dev and test it raises NestedUnitOfWork (the test suite runs with the guard
on, which is how every nest was found); in prod it logs an error and counts
`govstat_uow_nested` but lets the request go on, since the pool's acquire timeout already turns
the worst case into a 503 rather than a hang, and a page should not break over a finding.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from govstat.platform.settings import get_settings

log = logging.getLogger("govstat.uow")


class NestedUnitOfWork(RuntimeError):
    """A second connection was asked for while this request or task already holds one."""


class _Slot:
    __slots__ = ("held", "request")

    def __init__(self, *, request: bool) -> None:
        self.held: Any = None  # the unit of work holding a connection, or None
        self.request = request  # inside an HTTP request (request statement timeout applies)


_slot: ContextVar[_Slot | None] = ContextVar("govstat_uow_slot", default=None)
_nested_counter: Any = None


def in_request() -> bool:
    slot = _slot.get()
    return slot is not None and slot.request


def enter(uow: Any) -> tuple[_Slot, Any]:
    """Note that `uow` holds a connection; refuse if another one already does."""
    slot = _slot.get()
    token = None
    if slot is None:
        slot = _Slot(request=False)
        token = _slot.set(slot)
    elif slot.held is not None and slot.held is not uow:
        nested(f"a unit of work ({uow.scope.actor}) opened inside another ({slot.held.scope.actor})")
    slot.held = uow
    return slot, token


def leave(uow: Any, slot: _Slot, token: Any) -> None:
    if slot.held is uow:
        slot.held = None
    if token is not None:
        try:
            _slot.reset(token)
        except ValueError:
            pass  # ended from another task's context: that copy goes away with its task


def check_bare_query() -> None:
    """A Piccolo query outside any transaction takes its own pooled connection."""
    slot = _slot.get()
    if slot is not None and slot.held is not None:
        nested(f"a query on a second connection while a unit of work ({slot.held.scope.actor}) is open")


def nested(message: str) -> None:
    global _nested_counter
    if get_settings().env != "prod":
        raise NestedUnitOfWork(message + " (use the request's unit of work)")
    if _nested_counter is None:
        from govstat.platform.telemetry import meter

        _nested_counter = meter().create_counter("govstat_uow_nested", description="nested units of work (prod)")
    _nested_counter.add(1)
    log.error("nested unit of work: %s", message, stack_info=True)


class RequestUnits:
    """ASGI middleware: one slot per HTTP request, shared by the tasks that serve it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _slot.set(_Slot(request=True))
        try:
            await self.app(scope, receive, send)
        finally:
            _slot.reset(token)

"""Dependencies every route may ask for: the principal, a tenant-scoped unit of work, the catalog.

The gateway puts the Principal into the ASGI scope; the unit of work opens one
transaction for the request (one use case), commits when the handler returns
and rolls back when it raises. Before it commits, a route declared `audit=True`
gets its call audit event in that same transaction (platform/web/audited.py).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar.connection import ASGIConnection
from litestar.di import Provide

from govstat.platform.catalog import STATE_KEY, Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import declared_access
from govstat.platform.security import ANONYMOUS, Principal
from govstat.platform.web import read_after
from govstat.platform.web.audited import record_call

PRINCIPAL_SCOPE_KEY = "govstat.principal"


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    return connection.scope.get(PRINCIPAL_SCOPE_KEY, ANONYMOUS)  # type: ignore[return-value]


async def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    return principal_of(request)


def reads_only(request: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """A public GET that audits nothing only reads (the portal, the e-Stat API, LOD, maps): its unit of
    work is read-only, on a hot-standby replica when any is configured (platform/db/replicas.py).
    Counters such as a table's views are added after commit in a unit of work of their own; a public GET
    that writes says so (`public(..., writes=True)`)."""
    access = declared_access(request.scope["route_handler"].opt)
    if access is None or not access.public or access.audit or access.writes:
        return False
    return request.scope.get("method") in ("GET", "HEAD")


async def provide_uow(request: ASGIConnection[Any, Any, Any, Any]) -> AsyncGenerator[UnitOfWork, None]:
    scope = principal_of(request).scope()
    if reads_only(request):  # with replicas, only one that has replayed this client's last write
        uow = UnitOfWork.for_reads(scope, after_lsn=read_after.after_lsn(request))
    else:
        uow = UnitOfWork(scope)
        uow.track_commit = read_after.tracks(request)  # read-your-writes (platform/web/read_after.py)
    await uow.__aenter__()
    try:
        yield uow
        await record_call(uow)  # the handler returned: its call audit commits with its change, or neither does
    except BaseException as exc:
        # Roll back and re-raise the same error: Litestar groups any *new* error raised
        # here, so database errors are translated by the exception handlers instead.
        await uow.rollback(exc)
        raise
    else:
        await uow.__aexit__(None, None, None)  # commit; a failure here is translated at once
        read_after.note(request, uow.commit_lsn)


def catalog_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Catalog:
    """The catalog of modules the composition root put into the application state."""
    catalog: Catalog = connection.app.state[STATE_KEY]
    return catalog


async def provide_catalog(request: ASGIConnection[Any, Any, Any, Any]) -> Catalog:
    return catalog_of(request)


DEPENDENCIES = {
    "principal": Provide(provide_principal),
    "uow": Provide(provide_uow),
    STATE_KEY: Provide(provide_catalog),
}

UNITS_SCOPE_KEY = "govstat.units"


def set_units(connection: ASGIConnection[Any, Any, Any, Any], units: int) -> None:
    """Tell the gateway's meter how many billable units (rows, files, cells) this call served."""
    connection.scope[UNITS_SCOPE_KEY] = int(units)  # type: ignore[literal-required]

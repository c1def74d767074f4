"""What every public portal page shares: the page with the estat helpers, the not-found page, paging,
and the published table a page shows.

Every page reads through the request's unit of work in the caller's own scope: for the public
that is the anonymous scope, in which row-level security shows published and due tables only.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Router
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.estat.api import table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.portal.common import CREDIT, check_stats_data_id, is_registered, jst, number
from govstat.platform.web.deps import principal_of
from govstat.platform.web.pages import page

PAGE = 20
PageNo = Annotated[int, Parameter(query="page", ge=1, le=100_000)]


def estat_pages(*handlers: Any) -> Router:
    """The public pages of one feature under /estat (Japanese first, English beside it)."""
    return Router(path="/estat", tags=["e-Stat portal"], route_handlers=list(handlers))


def view(request: Request, template: str, *, status_code: int = 200, **context: Any):
    """A portal page: the helpers every estat template uses."""
    return page(
        request,
        template,
        status_code=status_code,
        jst=jst,
        number=number,
        credit=CREDIT,
        registered=is_registered(principal_of(request)),
        **context,
    )


def not_found(request: Request, message: str):
    return view(request, "estat/not_found.html", status_code=404, message=message)


async def published_table(uow: UnitOfWork, stats_data_id: str) -> PublishedTable:
    check_stats_data_id(stats_data_id)
    try:
        return await table_refs.published(uow, stats_data_id)
    except EstatFault:
        raise NotFound(
            f"統計表 {stats_data_id} は公開されていません / table {stats_data_id} is not published"
        ) from None

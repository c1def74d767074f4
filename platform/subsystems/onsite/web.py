"""What the on-site routes and pages share: the caller's address and terminal credential, the
refusal answer, and the roles."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from govstat.platform.problems import problem_response
from govstat.platform.security import Role
from govstat.platform.subsystems.onsite.visits import DEVICE_HEADER, Refused

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
RESEARCHER = (Role.ONSITE,)


def address(request: Request[Any, Any, Any]) -> str:
    # As the gateway: the socket's peer (behind a proxy, uvicorn's trusted proxy handling sets it).
    return request.client.host if request.client else "unknown"


def device(request: Request[Any, Any, Any]) -> str:
    return request.headers.get(DEVICE_HEADER, "")[:200]


def refused(request: Request[Any, Any, Any], r: Refused) -> Response[Any]:
    return problem_response(
        request,
        status=403,
        slug="onsite-refused",
        title="オンサイト利用の拒否 / On-site use refused",
        detail=r.detail,
        reason=r.reason,
    )

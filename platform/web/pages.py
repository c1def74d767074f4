"""Server-rendered pages: one helper so every page gets the principal and CSRF token (the menu
comes from the `catalog` template global that the composition root sets)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request
from litestar.response import Template

from govstat.platform.web.deps import principal_of

SESSION_SCOPE_KEY = "govstat.session"


def csrf_token(request: Request[Any, Any, Any]) -> str:
    session = request.scope.get(SESSION_SCOPE_KEY)
    return getattr(session, "csrf", "") if session else ""


def page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **context: Any) -> Template:
    return Template(
        template_name=template,
        status_code=status_code,
        media_type=MediaType.HTML,  # whatever the handler's annotation, a page is HTML
        context={
            "principal": principal_of(request),
            "csrf": csrf_token(request),
            "path": request.url.path,
            **context,
        },
    )

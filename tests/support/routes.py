"""The app's own route table, read the same way by every test that walks it (module contract, role
matrix, cross-tenant walker, crowd, call audit): a new route is covered without a test of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from litestar.routes import HTTPRoute

from govstat.platform.module import Access, declared_access

FRAMEWORK_PREFIXES = ("/schema", "/static")  # the OpenAPI viewer and static files: no access declaration


class Handler(NamedTuple):
    path: str
    methods: frozenset[str]  # without Litestar's automatic OPTIONS answer
    access: Access | None
    handler: Any


def handlers(app) -> Iterator[Handler]:
    for route in app.routes:
        if isinstance(route, HTTPRoute) and not route.path.startswith(FRAMEWORK_PREFIXES):
            for handler in route.route_handlers:
                methods = frozenset(handler.http_methods - {"OPTIONS"})
                if methods:
                    yield Handler(route.path, methods, declared_access(handler.opt), handler)

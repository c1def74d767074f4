"""The app's own route table, read the same way by every test that walks it (module contract, role
matrix, cross-tenant walker, crowd, call audit): a new route is covered without a test of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from litestar.routes import HTTPRoute

from govstat.platform.module import Access, declared_access

# the OpenAPI viewer and static files: no access declaration. Whole segments, as the gateway exempts
# them (gateway/pipeline.py): a route /schemas/... is walked like any other
FRAMEWORK_PREFIXES = ("/schema/", "/static/")
FRAMEWORK_PATHS = ("/schema", "/static")


def framework(path: str) -> bool:
    return path in FRAMEWORK_PATHS or path.startswith(FRAMEWORK_PREFIXES)


class Handler(NamedTuple):
    path: str
    methods: frozenset[str]  # without Litestar's automatic OPTIONS answer
    access: Access | None
    handler: Any


def handlers(app) -> Iterator[Handler]:
    for route in app.routes:
        if isinstance(route, HTTPRoute) and not framework(route.path):
            for handler in route.route_handlers:
                methods = frozenset(handler.http_methods - {"OPTIONS"})
                if methods:
                    yield Handler(route.path, methods, declared_access(handler.opt), handler)

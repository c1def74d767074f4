"""The gateway lets the framework's own routes through unchecked (the OpenAPI schema under /schema,
static files under /static/) by their path. Only those: a route whose path merely begins with the
same letters (/schemas, /schema-versions, /statics) is a route like any other, checked by the gateway
(h19 review: the prefix "/schema" matched them too, so such a route would have answered anyone)."""

import httpx
import pytest
from litestar import Litestar, get

from govstat.gateway.pipeline import GatewayMiddleware
from govstat.platform.module import access
from govstat.platform.problems import EXCEPTION_HANDLERS
from govstat.platform.security import Role


@get("/schemas/secret", opt=access(Role.OPERATOR, op="ops.read", subscription=False), sync_to_thread=False)
def schemas_secret() -> dict[str, str]:
    return {"secret": "operators only"}


@get("/schema-versions", opt=access(Role.OPERATOR, op="ops.read", subscription=False), sync_to_thread=False)
def schema_versions() -> dict[str, str]:
    return {"secret": "operators only"}


@pytest.mark.parametrize("path", ["/schemas/secret", "/schema-versions"])
async def test_a_route_that_only_begins_like_the_schema_is_checked_by_the_gateway(app, path):
    gateway = next(m for m in app.middleware if isinstance(m, GatewayMiddleware))  # the app's own, real Redis
    own = Litestar(
        route_handlers=[schemas_secret, schema_versions],
        middleware=[gateway],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=own), base_url="http://testserver.local") as c:
        r = await c.get(path)
    assert r.status_code == 401, r.text
    assert "operators only" not in r.text


async def test_the_framework_routes_still_pass(client):
    assert (await client.get("/schema/openapi.json")).status_code == 200
    assert (await client.get("/static/does-not-exist.css")).status_code == 404

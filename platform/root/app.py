"""The app factory: the composition root that joins platform, tenants, gateway and ops."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from litestar import Litestar, Router
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from govstat.gateway.authn import Authenticator
from govstat.gateway.completions import Completions
from govstat.gateway.heartbeat import Heartbeat
from govstat.gateway.pipeline import MODULE_KEY, Gateway, GatewayMiddleware
from govstat.gateway.ratelimit import RateLimiter
from govstat.gateway.sessions import SessionStore
from govstat.gateway.wire import Wire
from govstat.platform.cache import close_redis, redis_client
from govstat.platform.catalog import STATE_KEY, Catalog
from govstat.platform.db.engine import close_pool, start_pool
from govstat.platform.db.guard import RequestUnits
from govstat.platform.problems import EXCEPTION_HANDLERS
from govstat.platform.root.catalog import CATALOG
from govstat.platform.root.processes import settle_heap
from govstat.platform.settings import Settings, get_settings, set_settings
from govstat.platform.telemetry import configure_logging, setup_telemetry
from govstat.platform.web import health
from govstat.platform.web.audited import note_status, unaudited_routes
from govstat.platform.web.deps import DEPENDENCIES
from govstat.platform.web.headers import process_header, security_headers
from govstat.platform.web.read_after import read_after_cookie

if TYPE_CHECKING:
    from litestar.types import PathType


def package_dir(name: str) -> Path:
    """Where a package's files are, in a source checkout and in an installed wheel alike."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} not found")
    return Path(next(iter(spec.submodule_search_locations)))


def _asset_dirs(kind: str, catalog: Catalog = CATALOG) -> list[Path]:
    dirs = [package_dir("govstat.platform.web") / kind]
    dirs += [package_dir(f"govstat.{part}") / kind for part in ("gateway", "tenants", "ops")]
    dirs += [package_dir(f"govstat.platform.subsystems.{m.key}") / kind for m in catalog.subsystems]
    return [d for d in dirs if d.is_dir()]


def template_dirs(catalog: Catalog = CATALOG) -> list[PathType]:
    dirs = _asset_dirs("templates", catalog)
    if not (dirs and (dirs[0] / "base.html").is_file()):
        raise RuntimeError("templates missing (base.html): is the package installed with its data files?")
    return [*dirs]


def static_dirs(catalog: Catalog = CATALOG) -> list[PathType]:
    return [*_asset_dirs("static", catalog)]


def create_app(settings: Settings | None = None, *, with_gateway: bool = True, catalog: Catalog = CATALOG) -> Litestar:
    """The app. `with_gateway=False` serves the same routes without the gateway: only the
    benchmark that measures the gateway's cost uses it (bench/gateway_overhead.py). The catalog
    is handed to routes (the `catalog` dependency, from app.state) and to pages (a template global)."""
    settings = settings or get_settings()
    set_settings(settings)
    configure_logging(settings.log_level)
    setup_telemetry("app", settings.otlp_endpoint)

    routers = [
        Router(path="/", route_handlers=list(m.routers), opt={MODULE_KEY: m.key}) for m in catalog.modules if m.routers
    ]
    redis = redis_client()
    wire = Wire(redis)  # the gateway's own pipelined connection: admissions and completions
    gateway = Gateway(
        authenticator=Authenticator(SessionStore(redis, settings.session_ttl_seconds)),
        limiter=RateLimiter(redis, wire),
        redis=redis,
        completions=Completions(redis, wire),
    )
    heartbeat = Heartbeat(redis, settings.usage_heartbeat_ttl_seconds)  # the usage sweep's sign of life

    async def on_startup() -> None:
        await start_pool()
        # the app, its routes and the catalog live as long as the process: out of the collector's
        # generations, so that a full collection (every few seconds under load) does not walk them
        # all and stall every request for 0.3-0.5 s (docs/performance.md, gateway overhead)
        settle_heap()
        if with_gateway:
            await heartbeat.start()  # before the first call: every open record's process has a heartbeat

    async def on_shutdown() -> None:
        await gateway.completions.settle()  # the answered calls' usage, before Redis closes
        await gateway.completions.close()  # the open records of its fallbacks' calls closed, Redis willing
        await heartbeat.stop()  # after it: this process leaves nothing open
        await wire.close()
        await close_pool()
        await close_redis()

    app = Litestar(
        route_handlers=[
            *health.ROUTES,
            *routers,
            create_static_files_router(path="/static", directories=static_dirs(catalog), include_in_schema=False),
        ],
        # RequestUnits first (outermost): the gateway's own units of work count for the request too
        middleware=[RequestUnits, GatewayMiddleware(gateway)] if with_gateway else [RequestUnits],
        dependencies=DEPENDENCIES,
        state=State({STATE_KEY: catalog}),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        # on every answer, errors and static files included; the read-your-writes cookie after a write
        before_send=[security_headers, process_header, read_after_cookie],
        after_request=note_status,  # before the request's unit of work commits: the call audit's status
        template_config=TemplateConfig(
            directory=template_dirs(catalog),
            engine=JinjaTemplateEngine,
            engine_callback=lambda jinja: jinja.engine.globals.update({STATE_KEY: catalog}),
        ),
        openapi_config=OpenAPIConfig(
            title="govstat API",
            version="0.1.0",
            path="/schema",
            description="政府統計共同利用システム / Government Statistics Common Use System",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        plugins=[
            OpenTelemetryPlugin(
                OpenTelemetryConfig(
                    exclude=["/metrics", "/healthz", "/static"],
                    exclude_spans=[
                        "receive",
                        "send",
                    ],  # one span per request; the per-message spans cost more than they tell
                )
            )
        ],
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        debug=settings.env == "dev" and settings.log_level == "DEBUG",
    )
    if problems := unaudited_routes(app):  # a declared audit nobody writes is a broken contract: refuse to start
        raise RuntimeError("audited routes the call audit cannot reach:\n" + "\n".join(problems))
    return app


def app_from_env() -> Litestar:
    """Entry point for uvicorn --factory."""
    return create_app()

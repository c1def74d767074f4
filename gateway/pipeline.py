"""The gateway pipeline (PLAT-2), one middleware in front of every route:

authenticate -> tenant and roles -> subscription -> the route's declared roles ->
rate limit -> handler (inside the tenant scope, via the `uow` dependency) ->
usage metering -> audit where the route changes or reveals protected data (declared
`audit=True`: one "gateway.call" event in the request's own transaction, platform/web/audited.py).

Routes that declare no access are refused: nothing opts out silently.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from govstat.gateway.authn import Authenticator
from govstat.gateway.completions import Completions
from govstat.gateway.credentials import USABLE_TENANT
from govstat.gateway.metering import store_usage
from govstat.gateway.owntime import OWN
from govstat.gateway.plans import cached_limit, plan_limit
from govstat.gateway.ratelimit import RateLimiter
from govstat.gateway.security_events import record_denial
from govstat.gateway.subscriptions import cached_profile, tenant_profile
from govstat.platform.errors import Forbidden, GovstatError, RateLimited, Unauthenticated, Unavailable
from govstat.platform.events.envelope import Envelope, UsagePayload, encode
from govstat.platform.events.ids import event_id_and_text
from govstat.platform.module import ACCESS_KEY, MODULE_KEY, Access, declared_access
from govstat.platform.security import Principal, PrincipalKind
from govstat.platform.telemetry import current_trace_id
from govstat.platform.web.audited import begin_call, end_call
from govstat.platform.web.deps import PRINCIPAL_SCOPE_KEY, UNITS_SCOPE_KEY

EXEMPT_KEY = "govstat_exempt"  # framework routes (OpenAPI, static files): no access declaration
UNITS_KEY = UNITS_SCOPE_KEY  # a handler sets it with set_units()
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
clock = time.perf_counter


@dataclass
class Gateway:
    authenticator: Authenticator
    limiter: RateLimiter
    redis: Any
    completions: Completions


class GatewayMiddleware:
    """A plain ASGI middleware (issue 15: Litestar's ASGIMiddleware added a layer and a path regex per
    call). Litestar calls it once per route handler with that handler's app, inside its routing,
    so `scope["route_handler"]` is known; the exception handlers around it answer what it raises
    as problem details."""

    # the framework's own routes (OpenAPI UI and schema, static files): no access declaration. Whole
    # path segments only: "/schema" alone matched /schemas/... and /schema-x, routes like any other
    exempt_paths = ("/schema/", "/static/")
    exempt_exact = "/schema"

    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway

    def __call__(self, app: ASGIApp) -> ASGIApp:
        handle, exempt, exact = self.handle, self.exempt_paths, self.exempt_exact

        async def gateway(scope: Scope, receive: Receive, send: Send) -> None:
            path = scope["path"]
            if scope["type"] != "http" or path.startswith(exempt) or path == exact:
                await app(scope, receive, send)
            else:
                await handle(scope, receive, send, app)

        return gateway

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = clock()
        opt = scope["route_handler"].opt
        if opt.get(EXEMPT_KEY):
            await next_app(scope, receive, send)
            return
        access = declared_access(opt)
        if access is None and scope["method"] == "OPTIONS":
            await next_app(scope, receive, send)  # Litestar's automatic OPTIONS answer reveals nothing
            return
        if access is None:
            raise GovstatError(f"route {scope['path']} declares no access (roles and operation)")
        module = opt.get(MODULE_KEY, "platform")
        authenticating = clock()
        principal = await self.gw.authenticator.authenticate(
            scope, receive, check_csrf=access.csrf, accept_app_id=access.app_id
        )
        authenticated = clock() - authenticating
        scope[PRINCIPAL_SCOPE_KEY] = principal  # type: ignore[literal-required]
        call = _Call(scope, principal, module, access, started)
        call.lookups = authenticated
        try:
            await self._admit(scope, principal, access, module, call)
        except GovstatError as exc:
            if exc.status < 500:  # a refusal; a 503 (pool or Redis busy) is none, and auditing it would wait again
                await record_denial(scope, principal, module, access, exc)
            raise
        meter = self._meter

        async def metered_send(message: Message) -> None:
            entered = clock()
            kind = message["type"]
            if kind == "http.response.body":
                call.bytes += len(message.get("body", b""))
                if not message.get("more_body", False):
                    await meter(scope, call)
            elif kind == "http.response.start":
                call.status = message["status"]
                if call.headers:
                    message["headers"] = [*message.get("headers", ()), *call.headers]
            call.own += clock() - entered  # the gateway's work on the answer; downstream's is not its own
            await send(message)

        audit = begin_call(scope, principal, module, access)  # audit=True: the request's uow records the call
        handler_at = clock()
        try:
            await next_app(scope, receive, metered_send)
        finally:
            returned = clock()
            end_call(audit)
            OWN.record(handler_at - started + call.own + clock() - returned, call.lookups, call.redis)

    async def _admit(self, scope: Scope, principal: Principal, access: Access, module: str, call: _Call) -> None:
        if not access.public:
            if principal.kind is PrincipalKind.ANONYMOUS:
                raise Unauthenticated("サインインしてください / sign in first")
            if not principal.has_any(access.roles):
                raise Forbidden(f"この操作の権限がありません / role required: {sorted(r.value for r in access.roles)}")
        plan = "anonymous" if principal.kind is PrincipalKind.ANONYMOUS else "public"
        if (tenant_id := principal.tenant_id) is not None:
            # the per-process cache without an await on every call; a miss (or a stale entry) asks Redis or the database
            if (profile := cached_profile(tenant_id)) is None:
                reading = clock()
                profile = await tenant_profile(tenant_id)
                call.lookups += clock() - reading  # awaited, like authentication's reads (owntime.py)
            if not principal.is_operator and profile.status not in USABLE_TENANT:
                # withdrawn (or not yet admitted): an open session or a cached key stops here too
                raise Unauthenticated(
                    f"利用機関の状態 {profile.status} では利用できません / organisation is {profile.status}"
                )
            plan = "operator" if principal.is_operator else profile.plan
            if (
                access.subscription
                and not access.public
                and not principal.is_operator
                and module not in profile.modules
            ):
                raise Forbidden(
                    f"このサブシステムの利用登録がありません / your organisation does not subscribe to {module!r}"
                )
        who = principal.subject if principal.kind is not PrincipalKind.ANONYMOUS else f"ip:{client_ip(scope)}"
        key, opened = f"{who}:{module}", (call.event_id, encode(call.event))
        waited = clock()
        try:
            limit = cached_limit(plan) or await plan_limit(plan)
            # the one round trip: the limit, and the call recorded as open (durable before the handler runs)
            verdict = await self.gw.limiter.check(key, limit, opened)
            call.redis = clock() - waited
            call.opened = verdict.allowed
        except Exception as exc:
            call.redis = clock() - waited
            self.gw.limiter.note_unavailable()
            # the script may have run with its reply lost (a cut connection, a late reply): its open
            # record is closed once Redis answers, or the sweep would bill a refused write (review h21)
            self.gw.completions.unclosed.add([call.event_id])
            if scope["method"] in SAFE_METHODS:
                return
            raise Unavailable("一時的に書き込みできません / writes are paused (rate limiter unavailable)") from exc
        if not verdict.allowed:
            raise RateLimited(
                f"{limit.quota} requests per {limit.window}s for {module}; retry in {verdict.retry_after}s",
                headers=verdict.headers(),
            )
        call.headers = verdict.header_pairs()

    async def _meter(self, scope: Scope, call: _Call) -> None:
        # the event as admitted becomes the full one (its admitted form is already encoded and sent)
        payload = call.payload
        payload.status = call.status
        payload.latency_ms = round((clock() - call.started) * 1000, 3)
        payload.bytes = call.bytes
        payload.units = int(scope.get(UNITS_KEY, 1))
        if call.opened:
            self.gw.completions.add(
                call.event, call.event_id
            )  # after the answer: the open record already makes the call durable
        else:
            await store_usage(
                self.gw.redis, call.event
            )  # no open record (Redis failed at admission): before the last byte


class _Call:
    """One call through the gateway: its usage event as admitted (status 0: not yet known), made
    once and completed in place after the answer."""

    __slots__ = (
        "bytes",
        "event",
        "event_id",
        "headers",
        "lookups",
        "opened",
        "own",
        "payload",
        "redis",
        "started",
        "status",
    )

    def __init__(self, scope: Scope, principal: Principal, module: str, access: Access, started: float) -> None:
        self.payload = UsagePayload(
            module=module,
            operation=access.operation,
            principal_kind=principal.kind.value,
            principal=principal.subject,
            method=scope["method"],
            path=scope["path"],
            status=0,
            units=1,
            idempotency_key=_header(scope, b"idempotency-key"),
        )
        event_id, self.event_id = event_id_and_text()
        trace_id = current_trace_id()
        self.event: Envelope[Any] = Envelope(
            id=event_id,
            payload=self.payload,
            tenant_id=principal.tenant_id,
            occurred_at=dt.datetime.now(dt.UTC),
            trace={"trace_id": trace_id} if trace_id else {},
        )
        self.started = started
        self.headers: list[tuple[bytes, bytes]] = []
        self.status = 500
        self.bytes = 0
        self.opened = False
        self.own = 0.0  # the gateway's time on the answer's messages (owntime.py)
        self.redis = 0.0  # the awaited rate-limit round trip
        self.lookups = 0.0  # authentication and a cold tenant profile (a Redis or database read awaited in them)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")[:200]
    return ""


def client_ip(scope: Scope) -> str:
    # Never X-Forwarded-For read here: anyone can send one. Behind a proxy, uvicorn's proxy-headers
    # handling (trusted addresses only: --forwarded-allow-ips) has already put the real client in scope.
    client = scope.get("client")
    return client[0] if client else "unknown"


__all__ = ["ACCESS_KEY", "EXEMPT_KEY", "MODULE_KEY", "UNITS_KEY", "Gateway", "GatewayMiddleware", "client_ip"]

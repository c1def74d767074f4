"""The call audit: every call of a route declared `audit=True` leaves one audit event, "gateway.call",
written into the request's own transaction just before it commits (docs/decisions/0006-audited-routes.md).

Who does what:
- the gateway opens a `Call` once it has let an audited route's caller through (`begin_call`);
- the app's `after_request` hook notes the answer's status (`note_status`): a page may answer 422
  with its form again without raising, and that call is audited as a failure, not a success;
- `provide_uow`, after the handler returned and before the commit, records the event (`record_call`).
A handler that raises rolls its transaction back and leaves no call audit: the change it describes
never happened. Refusals by the gateway are audited as denials (gateway/security_events.py).

The `Call` is a mutable box in a context variable: Litestar resolves dependencies in child tasks,
which see copies of the request's context but the same box.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from litestar.routes import HTTPRoute

from govstat.platform.events.envelope import AuditPayload, new_event
from govstat.platform.module import Access, declared_access
from govstat.platform.security import Principal
from govstat.platform.telemetry import current_trace_id

ACTION = "gateway.call"


@dataclass
class Call:
    principal: Principal
    module: str
    access: Access
    scope: Any  # the ASGI scope (method, path, path parameters)
    status: int = 0  # the handler's answer; 0: not known (none came back)
    recorded: bool = False


_call: ContextVar[Call | None] = ContextVar("govstat_audited_call", default=None)


def begin_call(scope: Any, principal: Principal, module: str, access: Access) -> Token[Call | None] | None:
    """Open the call's record when the route is audited; pass the token to `end_call`."""
    return _call.set(Call(principal, module, access, scope)) if access.audit else None


def end_call(token: Token[Call | None] | None) -> None:
    if token is not None:
        _call.reset(token)  # an in-process client runs the app in the caller's task: leave nothing behind


async def note_status(response: Any) -> Any:
    """The app's after_request hook: it runs before the request's unit of work commits."""
    call = _call.get()
    if call is not None:
        call.status = int(getattr(response, "status_code", 200))
    return response


def target_of(scope: Any) -> str:
    """The path parameters' values in the route's order ("standard/statdb/statdb.read")."""
    return "/".join(str(v) for v in (scope.get("path_params") or {}).values())


async def record_call(uow: Any) -> None:
    """Write the call's audit event in `uow`'s transaction (once per request)."""
    call = _call.get()
    if call is None or call.recorded:
        return
    call.recorded = True
    p, scope, status = call.principal, call.scope, call.status or 200
    trace_id = current_trace_id()
    payload = AuditPayload(
        action=ACTION,
        actor=p.subject or "anonymous",
        actor_kind=p.kind.value,
        target_type="route",
        target_id=target_of(scope),
        module=call.module,
        outcome="success" if status < 400 else "failure",
        detail={
            "operation": call.access.operation,
            "method": scope["method"],
            "path": scope["path"],
            "status": status,
            "trace_id": trace_id,
            "via": p.via,
        },
    )
    event = new_event(payload, p.tenant_id)
    event.trace = {"trace_id": trace_id} if trace_id else {}
    await uow.record(event)


def unaudited_routes(app: Any) -> list[str]:
    """Audited routes the call audit cannot reach: each must take the request's `uow` (the event is
    written in its transaction) and keep the app's after_request hook. Checked when the app is built."""
    problems = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            access = declared_access(handler.opt)
            if access is None or not access.audit:
                continue
            where = f"{'/'.join(sorted(handler.http_methods))} {route.path}"
            if "uow" not in handler.parsed_fn_signature.parameters:
                problems.append(f"{where}: declared audit=True, so it must take the request's `uow`")
            hooks = [layer.after_request for layer in handler.ownership_layers if layer.after_request]
            if not hooks or hooks[-1] is not note_status:
                problems.append(f"{where}: an after_request hook of its own hides the call audit's")
    return problems

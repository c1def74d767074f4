"""The cross-tenant walker: every registered route with a path parameter, called by each of tenant
B's callers with the ids of tenant A's objects (tests/support/walker_registry.py says which id each
parameter takes). A finding is an answer that shows A's marker, a secret of A's, or (when 2xx) the
id of one of A's objects; a call after which A's rows differ; or a 5xx."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tests.support import openapi_examples, tenant_snapshot, walker_registry
from tests.support.routes import handlers
from tests.support.world import Caller, World

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Routes whose answer may show A's objects by policy, with the reason. Empty on purpose: A's
# objects are all unpublished or private, so nothing of A's is public yet.
ALLOWED_REVEALS: dict[tuple[str, str], str] = {}

# 501 is a declared answer, not a fault: SDMX-REST (estat/sdmx) answers it for the structure types
# and options govstat does not offer, as SDMX clients expect
NOT_IMPLEMENTED = 501


@dataclass
class Report:
    routes: int = 0
    calls: int = 0
    statuses: Counter = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def routes_with_parameters(app) -> list[tuple[str, str]]:
    """(method, path) of every route with a path parameter, sorted so GETs come before changes."""
    found = {(m, h.path) for h in handlers(app) if "{" in h.path for m in h.methods if m in METHODS}
    return sorted(found, key=lambda mp: (METHODS.index(mp[0]), mp[1]))


def list_routes(app) -> list[str]:
    """GET routes without a path parameter: the lists and pages where A's objects could also surface."""
    return sorted({h.path for h in handlers(app) if "{" not in h.path and "GET" in h.methods})


def body_ids(world: World) -> dict[str, str]:
    """Body properties that name an object, filled with A's: B may not reach A's objects that way either."""
    ids = {
        name: world.owned[r.kind]
        for (prefix, name), r in walker_registry.RULES.items()
        if not prefix and isinstance(r, walker_registry.Owned)
    }
    return ids | {"parent_id": world.owned["class"], "request_id": world.owned["briefing_request"]}


def _request_kwargs(doc: dict, method: str, path: str, caller: Caller, ids: dict[str, str]) -> dict:
    kwargs: dict = {"headers": caller.headers}
    if method == "GET":
        return kwargs
    media, body = openapi_examples.request_body(doc, openapi_examples.operation(doc, path, method), ids)
    if media == "application/json":
        kwargs["json"] = body
    elif media == "multipart/form-data":
        body = body or {}
        kwargs["files"] = {k: ("walker.csv", v, "text/csv") for k, v in body.items() if isinstance(v, bytes)}
        kwargs["data"] = {k: str(v) for k, v in body.items() if not isinstance(v, bytes)} | _form_csrf(caller)
    else:  # a page's form (not in the OpenAPI document)
        kwargs["data"] = {**(body or {}), **_form_csrf(caller)}
    return kwargs


def _form_csrf(caller: Caller) -> dict[str, str]:
    return {"_csrf": caller.csrf} if caller.csrf else {}


def _reveals(world: World, text: str, status: int, named: set[str]) -> list[str]:
    shown = [f"marker {world.marker}"] if world.marker in text else []
    shown += [f"secret {s[:8]}…" for s in world.secrets if s in text]
    if 200 <= status < 300:
        shown += [f"{kind} id {v}" for kind, v in world.owned.items() if v in text]
    return shown


async def walk(app, world: World, callers: list[Caller], methods: tuple[str, ...] = METHODS) -> Report:
    report = Report()
    doc = app.openapi_schema.to_schema()
    a, user, ids = world.a.id, world.a_public_user, body_ids(world)
    baseline = await tenant_snapshot.fingerprint(a, user)
    before = await tenant_snapshot.snapshot(a, user)
    for method, path in routes_with_parameters(app):
        if method not in methods:
            continue
        try:
            targets = await walker_registry.urls(path, world)
        except walker_registry.MissingFactory as exc:
            report.missing.append(f"{method} {exc}")
            continue
        report.routes += 1
        for url, named in targets:
            for caller in callers:
                r = await caller.client.request(method, url, **_request_kwargs(doc, method, path, caller, ids))
                report.calls += 1
                report.statuses[r.status_code] += 1
                where = f"{method} {url} as B's {caller.name} -> {r.status_code}"
                if r.status_code >= 500 and r.status_code != NOT_IMPLEMENTED:
                    report.findings.append(f"{where}: server error {r.text[:200]}")
                shown = _reveals(world, r.text, r.status_code, named)
                if shown and (method, path) not in ALLOWED_REVEALS:
                    report.findings.append(f"{where}: reveals A's {', '.join(shown)}")
                now = await tenant_snapshot.fingerprint(a, user)
                if now != baseline:
                    after = await tenant_snapshot.snapshot(a, user)
                    report.findings.append(f"{where}: changed A's data {tenant_snapshot.diff(before, after)}")
                    baseline, before = now, after
    return report


async def walk_lists(app, world: World, callers: list[Caller]) -> Report:
    """B's callers read every list and page: none shows A's marker, secrets or ids."""
    report = Report()
    for path in list_routes(app):
        report.routes += 1
        for caller in callers:
            r = await caller.client.get(path, headers=caller.headers)
            report.calls += 1
            report.statuses[r.status_code] += 1
            where = f"GET {path} as B's {caller.name} -> {r.status_code}"
            if r.status_code >= 500 and r.status_code != NOT_IMPLEMENTED:
                report.findings.append(f"{where}: server error {r.text[:200]}")
            shown = _reveals(world, r.text, r.status_code, set())
            if shown and ("GET", path) not in ALLOWED_REVEALS:
                report.findings.append(f"{where}: reveals A's {', '.join(shown)}")
    return report

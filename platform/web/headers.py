"""Security headers on every answer: pages, API, problem details, static files, 404s.

Set in the app's `before_send` hook, which wraps everything the app sends (the exception
handlers' answers and the static files included), so no route can forget them.

- Content-Security-Policy: scripts only from this origin, no inline script or event handler
  (templates keep data in `<script type="application/json">` blocks and code in /static/*.js);
  no framing (frame-ancestors 'none', and X-Frame-Options for older browsers); forms post only
  here. Inline *styles* stay allowed: templates and Chart.js/d3 set style attributes, and a style
  cannot run code.
- X-Content-Type-Options: nosniff (an uploaded CSV is never run as a script).
- Referrer-Policy: same-origin (URLs may carry an appId or a search: not sent to other sites).

The OpenAPI viewer (/schema) is Litestar's Swagger UI, which loads from a CDN with an inline
start-up script: it gets a policy of its own, framing still refused.
"""

from __future__ import annotations

import uuid

from litestar.types import Message, Scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SCHEMA_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)

_COMMON = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"))


async def security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or [])
    present = {k.lower() for k, _ in headers}
    csp = SCHEMA_CSP if scope.get("path", "").startswith("/schema") else CSP
    for name, value in (*_COMMON, (b"content-security-policy", csp.encode())):
        if name not in present:
            headers.append((name, value))
    message["headers"] = headers


# Which app process answered (several behind one address, `govstat serve --workers N`): a random id
# per process, which tells logs and tests apart without naming the host or the pid.
PROCESS_ID = uuid.uuid4().hex[:12]
_PROCESS = (b"x-govstat-process", PROCESS_ID.encode())


async def process_header(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        message["headers"] = [*(message.get("headers") or []), _PROCESS]

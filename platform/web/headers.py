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
- Cache-Control: private, no-store on every answer to a request that carries credentials (the
  session cookie, an API key, an anonymous respondent's cookie): such an answer is made for that caller (a respondent's answers in
  their form, an agency's surveys, the session's CSRF token in every page), and without it a shared
  proxy may give it to the next caller of the URL, or a shared PC's browser keep it after sign-out.
  The same on an answer that sets a cookie (an anonymous visitor's own questionnaire identity: a
  kept copy would hand it to every later visitor). Decided on the request and the answer, not on
  the route, so 401s, 404s and problem details are covered too. A policy the handler set itself
  stands (a public map tile), and static files are left to revalidate.

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


SESSION_COOKIE = "govstat_session"  # the gateway's session cookie (gateway/sessions.py names it from here)
# an anonymous respondent's identity (e-Stat questionnaires name it from here): the pages made for it
# say whether that browser has answered (review h21)
RESPONDENT_COOKIE = "estat_respondent"
_PRIVATE_COOKIES = tuple(name.encode() + b"=" for name in (SESSION_COOKIE, RESPONDENT_COOKIE))
_PRIVATE = (b"cache-control", b"private, no-store")


def _credentialed(scope: Scope) -> bool:
    """The request carries a session or respondent cookie or an API key (X-API-Key, Authorization)."""
    for name, value in scope.get("headers", ()):
        if name in (b"x-api-key", b"authorization") or (
            name == b"cookie" and any(cookie in value for cookie in _PRIVATE_COOKIES)
        ):
            return True
    return False


async def security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or [])
    present = {k.lower() for k, _ in headers}
    path = scope.get("path", "")
    csp = SCHEMA_CSP if path.startswith("/schema") else CSP
    for name, value in (*_COMMON, (b"content-security-policy", csp.encode())):
        if name not in present:
            headers.append((name, value))
    if (
        b"cache-control" not in present
        and not path.startswith("/static/")
        and (b"set-cookie" in present or _credentialed(scope))
    ):
        headers.append(_PRIVATE)
    message["headers"] = headers


# Which app process answered (several behind one address, `govstat serve --workers N`): a random id
# per process, which tells logs and tests apart without naming the host or the pid.
PROCESS_ID = uuid.uuid4().hex[:12]
_PROCESS = (b"x-govstat-process", PROCESS_ID.encode())


async def process_header(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        message["headers"] = [*(message.get("headers") or []), _PROCESS]

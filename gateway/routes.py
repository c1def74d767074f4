"""Sign-in pages and API: one session for every subsystem (AUTH-1, PORTAL-1)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlparse

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect

from govstat.gateway.pipeline import client_ip
from govstat.gateway.sessions import COOKIE, SessionData, SessionStore
from govstat.gateway.signin import sign_in
from govstat.platform.cache import redis_client
from govstat.platform.catalog import Catalog
from govstat.platform.errors import Forbidden, InvalidInput, Unauthenticated
from govstat.platform.module import access, public
from govstat.platform.security import STAFF_ROLES, Role
from govstat.platform.settings import get_settings
from govstat.platform.web.deps import principal_of
from govstat.platform.web.pages import csrf_token, page

# No login is longer (users' logins are at most 64 characters, a respondent's login ID 12) and no
# passphrase or page of this site's: longer input is refused before it is counted in Redis or
# written into the audit log (review h20: a 3 MB login made a 3 MB Redis key and a 12 MB event).
MAX_LOGIN = 64
MAX_PASSWORD = 1024
MAX_NEXT = 2048


def _safe_next(value: str) -> str:
    if len(value) > MAX_NEXT:
        return "/portal"
    parsed = urlparse(value or "/portal")
    # only local paths: never an open redirect
    return value if value.startswith("/") and not value.startswith("//") and not parsed.netloc else "/portal"


@get("/login", opt=public("auth.sign_in_page"), include_in_schema=False)
async def login_page(request: Request, next: str = "/portal") -> Any:
    return page(request, "gateway/login.html", next=_safe_next(next), error="")


async def _credentials(request: Request) -> tuple[str, str, str, bool]:
    if request.content_type[0] == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise InvalidInput.field("body", "JSONオブジェクトが必要です / a JSON object is required")
        data, is_form = body, False
    else:
        data, is_form = dict(await request.form()), True
    login, password = str(data.get("login", "")).strip(), str(data.get("password", ""))
    if not login:
        raise InvalidInput.field("login", "必須です / required")
    if len(login) > MAX_LOGIN:
        raise InvalidInput.field("login", f"{MAX_LOGIN}文字以内です / at most {MAX_LOGIN} characters")
    if not password:
        raise InvalidInput.field("password", "必須です / required")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput.field("password", f"{MAX_PASSWORD}文字以内です / at most {MAX_PASSWORD} characters")
    return login, password, _safe_next(str(data.get("next", "/portal"))), is_form


def _refuse_cross_site(request: Request) -> None:
    """Login CSRF: another site's form must not sign the visitor in as the attacker (their searches
    and saved queries would then land in the attacker's account). There is no session yet to bind a
    token to, so the browser's own word on where the form came from decides (OWASP's "verifying
    origin with standard headers" and Fetch Metadata): every current browser sends Sec-Fetch-Site
    and Origin with a cross-origin POST, and neither can be set by a page. Clients that send neither
    (scripts, curl) are not browsers carrying a victim, and pass."""
    site = request.headers.get("sec-fetch-site", "")
    origin = request.headers.get("origin")
    if site in ("cross-site", "same-site"):
        raise Forbidden("他のサイトからのサインインは受け付けません / cross-site sign-in refused")
    if origin is not None:
        mine = {f"{request.url.scheme}://{request.headers.get('host', '')}", _origin(get_settings().base_url)}
        if origin == "null" or origin not in mine:
            raise Forbidden("他のサイトからのサインインは受け付けません / cross-site sign-in refused")


def _origin(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


# Signing in again (as someone else) replaces the session: no session CSRF token is needed, a
# password is; the form's origin is checked instead (login CSRF).
@post("/auth/login", opt=public("auth.sign_in", csrf=False), status_code=200)
async def login(request: Request) -> Any:
    _refuse_cross_site(request)
    login_name, password, next_path, is_form = await _credentials(request)
    settings = get_settings()
    user = await sign_in(redis_client(), login_name, password, client_ip(request.scope))
    if not user:
        if is_form:
            return page(
                request,
                "gateway/login.html",
                status_code=401,
                next=next_path,
                error="ログインIDまたはパスワードが違います / wrong login or password",
            )
        raise Unauthenticated("ログインIDまたはパスワードが違います / wrong login or password")
    if Role.RESPONDENT.value in user.roles and next_path == "/portal":
        next_path = "/online"  # a survey respondent's page is their questionnaire, not the agencies' portal
    store = SessionStore(redis_client(), settings.session_ttl_seconds)
    old = request.cookies.get(COOKIE)
    if old:
        await store.delete(old)  # a new session id at every sign-in (no fixation)
    data = SessionData(
        user_id=user.id,
        login=user.login,
        name=user.display_name,
        roles=list(user.roles),
        tenant_id=user.tenant_id,
    )
    sid = await store.create(data)
    response: Response = (
        Redirect(next_path, status_code=303)
        if is_form
        else Response(
            {
                "user_id": str(user.id),
                "name": user.display_name,
                "roles": list(user.roles),
                "tenant_id": str(user.tenant_id) if user.tenant_id else None,
                "csrf": data.csrf,
            }
        )
    )
    response.set_cookie(
        COOKIE,
        sid,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=settings.session_ttl_seconds,
        path="/",
    )
    return response


@post("/auth/logout", opt=public("auth.sign_out"), status_code=200)
async def logout(request: Request) -> Any:
    sid = request.cookies.get(COOKIE)
    if sid:
        await SessionStore(redis_client(), get_settings().session_ttl_seconds).delete(sid)
    wants_html = "text/html" in request.headers.get("accept", "")
    response: Response = Redirect("/", status_code=303) if wants_html else Response({"signed_out": True})
    response.delete_cookie(COOKIE, path="/")
    return response


class Me(msgspec.Struct, kw_only=True):
    """Who the caller is, as the gateway named it (null tenant_id: no tenant)."""

    kind: str
    subject: str
    name: str
    tenant_id: uuid.UUID | None
    roles: list[str]
    via: str
    csrf: str


@get("/api/me", opt=public("auth.me"))
async def me(request: Request) -> Me:
    p = principal_of(request)
    return Me(
        kind=p.kind.value,
        subject=p.subject,
        name=p.name,
        tenant_id=p.tenant_id,
        roles=sorted(r.value for r in p.roles),
        via=p.via,
        csrf=csrf_token(request),
    )


@get(
    "/portal",
    opt=access(*STAFF_ROLES, Role.PUBLIC, Role.ONSITE, op="portal.home", subscription=False),
    include_in_schema=False,
)
async def portal(request: Request, catalog: Catalog) -> Any:
    """The agency portal (業務ポータル, PORTAL-1): one sign-in, every subscribed subsystem."""
    from govstat.gateway.subscriptions import tenant_profile

    p = principal_of(request)
    profile = await tenant_profile(p.tenant_id) if p.tenant_id else None
    subscribed = [m for m in catalog.subsystems if p.is_operator or (profile and m.key in profile.modules)]
    return page(request, "gateway/portal.html", subscribed=subscribed, profile=profile)


ROUTES = [login_page, login, logout, me, portal]

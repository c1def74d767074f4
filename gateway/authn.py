"""Authentication: session cookie (people), API key (agencies' systems), appId (public API).

CSRF: a request signed in by cookie that changes something must carry the
session's token, in the X-CSRF-Token header or the `_csrf` form field.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection, Request
from litestar.types import Receive, Scope
from redis.exceptions import RedisError

from govstat.gateway.credentials import cached_principal_for_api_key, principal_for_api_key, principal_for_app_id
from govstat.gateway.principals import principal_for
from govstat.gateway.sessions import COOKIE, SessionStore
from govstat.platform.errors import Forbidden, Unavailable
from govstat.platform.security import ANONYMOUS, Principal

SAFE = {"GET", "HEAD", "OPTIONS"}
SESSION_SCOPE_KEY = "govstat.session"
INVALID_APP_ID_KEY = "govstat.invalid_app_id"


class Authenticator:
    def __init__(self, sessions: SessionStore) -> None:
        self.sessions = sessions

    async def authenticate(
        self, scope: Scope, receive: Receive, check_csrf: bool = True, accept_app_id: bool = False
    ) -> Principal:
        token = _token(scope)
        if token:
            principal = cached_principal_for_api_key(token) or await principal_for_api_key(token, self.sessions.redis)
            if principal is None:
                from govstat.platform.errors import Unauthenticated

                raise Unauthenticated("APIキーが無効です / invalid or revoked API key")
            return principal
        # An appId is only the name of a public-API caller (it travels in URLs and logs): it opens the
        # routes that declare it (the e-Stat API), never My page or the minting of more appIds.
        conn = ASGIConnection(scope)
        app_id = (conn.query_params.get("appId") or await _form_app_id(scope, receive)) if accept_app_id else ""
        if app_id:
            # e-Stat style: the public API names its caller by appId. A wrong one leaves the caller
            # anonymous and marked, so the API can answer in its own format (e-Stat STATUS 100).
            principal = await principal_for_app_id(app_id, self.sessions.redis)
            if principal is not None:
                return principal
            scope[INVALID_APP_ID_KEY] = True  # type: ignore[literal-required]
            return ANONYMOUS
        sid = conn.cookies.get(COOKIE)
        if sid:
            try:
                session = await self.sessions.get(sid)
            except RedisError as exc:
                # Sessions live in Redis. Without it the documented policy holds with a cookie too:
                # reads go on anonymously, writes wait (503) rather than run as nobody or answer 500.
                if scope["method"] in SAFE:
                    return ANONYMOUS
                raise Unavailable("一時的にサインインを確認できません / sessions unavailable, retry later") from exc
            if session is not None:
                if check_csrf and scope["method"] not in SAFE:
                    await _check_csrf(scope, receive, session.csrf)
                scope[SESSION_SCOPE_KEY] = session  # type: ignore[literal-required]
                return principal_for(
                    subject=session.user_id,
                    name=session.name,
                    roles=session.roles,
                    tenant_id=session.tenant_id,
                    via="session",
                )
        return ANONYMOUS


async def _form_app_id(scope: Scope, receive: Receive) -> str:
    """e-Stat's POST functions (postDataset, getStatsDatas) carry appId in the form body."""
    if scope["method"] != "POST":
        return ""
    request = Request(scope, receive)
    if request.content_type[0] != "application/x-www-form-urlencoded":
        return ""
    return str((await request.form()).get("appId", ""))  # the body is cached for the handler


def _token(scope: Scope) -> str:
    """The API key, from X-API-Key or `Authorization: Bearer`, read straight off the ASGI headers
    (servers send the names in lower case): the first of each, as Litestar's Headers would give,
    without building them on every call."""
    api_key = authorization = None
    for name, value in scope["headers"]:
        if name == b"x-api-key":
            api_key = value if api_key is None else api_key
        elif name == b"authorization":
            authorization = value if authorization is None else authorization
    if api_key:
        return api_key.decode("latin-1")
    return _bearer(authorization.decode("latin-1")) if authorization else ""


def _bearer(value: str) -> str:
    return value[7:].strip() if value[:7].lower() == "bearer " else ""


async def _check_csrf(scope: Scope, receive: Receive, expected: str) -> None:
    import hmac

    request = Request(scope, receive)
    given = request.headers.get("x-csrf-token", "")
    if not given and request.content_type[0] in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        given = str(form.get("_csrf", ""))
    if not given or not hmac.compare_digest(given, expected):
        raise Forbidden("CSRFトークンが一致しません / CSRF token missing or wrong")

"""Maps every error to RFC 9457 problem details (application/problem+json), in one place."""

from __future__ import annotations

import logging
import re
from typing import Any, cast

import asyncpg
import redis.exceptions
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException, ValidationException

from govstat.platform.errors import FieldError, GovstatError, Unavailable

log = logging.getLogger("govstat.problems")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://govstat.example.go.jp/problems/"

_HTTP_TITLES = {
    400: "リクエストが不正です / Bad request",
    401: "認証が必要です / Authentication required",
    403: "権限がありません / Forbidden",
    404: "見つかりません / Not found",
    405: "許可されていないメソッドです / Method not allowed",
    409: "競合しています / Conflict",
    413: "リクエストが大きすぎます / Payload too large",
    415: "対応していない形式です / Unsupported media type",
    422: "入力内容に誤りがあります / Invalid input",
    429: "リクエストが多すぎます / Too many requests",
}


def problem_response(
    request: Request[Any, Any, Any],
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_PATH = re.compile(r"at `\$\.([^`]+)`")
_FIELD = re.compile(r"(?:missing required field|unknown field) `([^`]+)`")


def _field_errors(exc: ValidationException) -> list[FieldError]:
    out = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", ""))
            key = str(item.get("key") or item.get("source") or "body")
            if key in ("data", "body"):
                # msgspec names the field in its message: "... - at `$.roles[0]`", "missing required field `login`"
                match = _PATH.search(message) or _FIELD.search(message)
                if match:
                    key = match.group(1)
            out.append(FieldError(key, message))
    return out


# A 503 always says when to come back (RFC 9110 10.2.3): crowds and clients back off instead of
# hammering a busy pool. Seconds: about one acquire timeout, long enough for a crowd to drain.
RETRY_AFTER_SECONDS = "5"


def _retry_after(status: int, headers: dict[str, str] | None) -> dict[str, str] | None:
    if status != 503 or any(k.lower() == "retry-after" for k in headers or {}):
        return headers
    return {**(headers or {}), "Retry-After": RETRY_AFTER_SECONDS}


def handle_govstat(request: Request[Any, Any, Any], exc: GovstatError) -> Response[Any]:
    headers = cast(
        "dict[str, str] | None", exc.extra.pop("headers", None) if isinstance(exc.extra.get("headers"), dict) else None
    )
    headers = _retry_after(exc.status, headers)
    if exc.status >= 500:
        log.error("govstat error: %s", exc.detail)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=headers,
        **exc.extra,
    )


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = _field_errors(exc)
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or str(exc.detail)
    # a field named: the request was understood but its content is wrong (422)
    status = 422 if errors else exc.status_code
    return problem_response(
        request,
        status=status,
        slug="invalid-input",
        title=_HTTP_TITLES.get(status, "Error"),
        detail=detail,
        errors=errors,
    )


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    headers = _retry_after(status, dict(exc.headers or {}))
    return problem_response(
        request,
        status=status,
        slug=f"http-{status}",
        title=_HTTP_TITLES.get(status, str(exc.detail)),
        detail=str(exc.detail),
        headers=headers or None,
    )


def handle_database(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    from govstat.platform.db.uow import translate_db_error
    from govstat.platform.web.ranges import out_of_range

    translated = out_of_range(request, exc) or translate_db_error(exc)
    if translated is None:
        return handle_unexpected(request, exc)
    return handle_govstat(request, translated)


def handle_overflow(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    from govstat.platform.web.ranges import out_of_range

    translated = out_of_range(request, exc)
    return handle_govstat(request, translated) if translated else handle_unexpected(request, exc)


def handle_redis_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # Sessions, lockouts and limits live in Redis: while it is unreachable, what needs it waits (503).
    log.warning("redis unavailable on %s: %s", request.url.path, exc)
    return handle_govstat(request, Unavailable("一時的に利用できません / temporarily unavailable, retry later"))


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return problem_response(
        request,
        status=500,
        slug="internal",
        title="内部エラー / Internal error",
        detail="予期しないエラーが発生しました / An unexpected error occurred",
    )


EXCEPTION_HANDLERS = {
    GovstatError: handle_govstat,
    ValidationException: handle_validation,
    NotAuthorizedException: handle_http,
    PermissionDeniedException: handle_http,
    HTTPException: handle_http,
    asyncpg.PostgresError: handle_database,
    redis.exceptions.ConnectionError: handle_redis_down,
    redis.exceptions.TimeoutError: handle_redis_down,
    OSError: handle_database,
    OverflowError: handle_overflow,
    Exception: handle_unexpected,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_JSON", "MediaType", "problem_response"]

"""govstat's one small exception tree.

Every error a user can cause is one of these; `problems.py` maps them (and the
framework's own errors) to RFC 9457 problem details in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class GovstatError(Exception):
    status: int = 500
    slug: str = "internal"
    title: str = "内部エラー / Internal error"

    def __init__(self, detail: str = "", *, errors: list[FieldError] | None = None, **extra: object) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.extra = extra


class ConfigError(GovstatError):
    slug, title = "config", "設定エラー / Configuration error"


class InvalidInput(GovstatError):
    status, slug, title = 422, "invalid-input", "入力内容に誤りがあります / Invalid input"

    @classmethod
    def field(cls, name: str, message: str) -> InvalidInput:
        return cls(f"{name}: {message}", errors=[FieldError(name, message)])


class BadRequest(GovstatError):
    status, slug, title = 400, "bad-request", "リクエストが不正です / Bad request"


class Unauthenticated(GovstatError):
    status, slug, title = 401, "unauthenticated", "認証が必要です / Authentication required"


class Forbidden(GovstatError):
    status, slug, title = 403, "forbidden", "権限がありません / Forbidden"


class NotFound(GovstatError):
    status, slug, title = 404, "not-found", "見つかりません / Not found"


class Conflict(GovstatError):
    status, slug, title = 409, "conflict", "競合しています / Conflict"


class Gone(GovstatError):
    status, slug, title = 410, "gone", "取り下げられました / Withdrawn"


class InvalidTransition(Conflict):
    slug, title = "invalid-transition", "この状態では実行できません / Invalid state transition"


class RateLimited(GovstatError):
    status, slug, title = 429, "rate-limited", "リクエストが多すぎます / Too many requests"


class Unavailable(GovstatError):
    status, slug, title = 503, "unavailable", "一時的に利用できません / Service unavailable"

"""What every SDMX route shares: the agency and version a path may name, ETags with
If-None-Match (304), and the answer's headers."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response

from govstat.platform.subsystems.estat.sdmx import errors
from govstat.platform.subsystems.estat.sdmx.errors import SdmxError
from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, VERSION

ANY_AGENCY = {"all", "ALL", "*", "~", AGENCY}
ANY_VERSION = {"latest", "~", "*", "all", "+", VERSION, "1.0.0"}
# answers are data: an XML answer a browser opens runs nothing (as the e-Stat API's)
HEADERS = {"content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox", "vary": "Accept"}


def check_agency(agency: str) -> None:
    if agency not in ANY_AGENCY:
        raise errors.not_found(f"No structures of agency {agency[:40]}: govstat's agency is {AGENCY}")


def check_version(version: str) -> None:
    if version not in ANY_VERSION:
        raise errors.not_found(f"No version {version[:40]}: every structure is version {VERSION}")


def etag(*parts: object) -> str:
    return 'W/"' + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def not_modified(request: Request[Any, Any, Any], tag: str) -> bool:
    """If-None-Match names this ETag (or *)."""
    wanted = request.headers.get("if-none-match")
    if not wanted:
        return False
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    return "*" in tags or tag.removeprefix("W/") in tags


def answer(
    content: bytes, media_type: str, tag: str | None = None, extra: dict[str, str] | None = None
) -> Response[bytes]:
    headers = {**HEADERS, **(extra or {}), **({"etag": tag} if tag else {})}
    return Response(content, media_type=media_type, headers=headers)


def unchanged(tag: str) -> Response[bytes]:
    return Response(b"", status_code=304, headers={**HEADERS, "etag": tag})


async def guarded(work: Callable[[], Awaitable[Response[bytes]]]) -> Response[bytes]:
    """The answer, or the SDMX error message for an SdmxError."""
    try:
        return await work()
    except SdmxError as e:
        return errors.response(e)

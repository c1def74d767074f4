"""Attachments: size limits, and the content type sniffed from the bytes (filetype), never taken
from the browser's word or the file name. What is allowed: PDF, PNG, JPEG, GIF, Office Open XML
(XLSX, DOCX, PPTX) and UTF-8 text or CSV; anything else (an executable, HTML, a ZIP of unknown
content) is refused, naming the field. Files are served as attachments with nosniff."""

from __future__ import annotations

import hashlib
import urllib.parse
from typing import Any

import filetype
import msgspec

from govstat.platform.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
SNIFFED = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
TEXT_SUFFIX = {
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}


class Upload(msgspec.Struct, kw_only=True):
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    content: bytes


def _text_type(filename: str, content: bytes) -> str | None:
    """UTF-8 text without control bytes and without markup a browser would run."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:65536]) or "<script" in text[:4096].lower():
        return None
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return TEXT_SUFFIX.get(suffix, "text/plain; charset=utf-8")


def check(filename: str, content: bytes, field: str = "file") -> Upload:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if not name:
        raise InvalidInput.field(field, "ファイル名がありません / the file has no name")
    if not content:
        raise InvalidInput.field(field, "空のファイルです / the file is empty")
    if len(content) > MAX_BYTES:
        raise InvalidInput.field(field, f"ファイルは {MAX_BYTES // (1024 * 1024)} MB までです / file too large")
    kind = filetype.guess(content)
    media = kind.mime if kind is not None and kind.mime in SNIFFED else None
    if kind is None:
        media = _text_type(name, content)
    if media is None:
        found = kind.mime if kind is not None else "unknown"
        raise InvalidInput.field(field, f"この種類のファイルは添付できません / file type not allowed ({found})")
    return Upload(
        filename=name, content_type=media, size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )  # fmt: skip


def safe_headers(filename: str) -> dict[str, str]:
    quoted = urllib.parse.quote(filename, safe="")
    return {
        "content-disposition": f"attachment; filename*=UTF-8''{quoted}",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "private, no-store",
    }


async def form_upload(request: Any, field: str = "file") -> Upload:
    """The multipart part `file`, checked."""
    form = await request.form()
    part = form.get(field)
    if part is None or isinstance(part, str):
        raise InvalidInput.field(field, "ファイルを添付してください / attach a file")
    return check(part.filename or "", await part.read(), field)

"""Shapes of the tables API (msgspec Structs) and the multipart registration form."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from govstat.platform.errors import InvalidInput

if TYPE_CHECKING:
    from litestar import Request

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
StatCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{8}$", description="8-digit government statistic code")]
# provision_class.position is an integer column: a larger number is bad input, not a database error
Position = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]
SurveyDate = Annotated[
    str,
    msgspec.Meta(pattern=r"^[0-9]{4}([0-9]{2})?(-[0-9]{4}([0-9]{2})?)?$", description="YYYY, YYYYMM or YYYYMM-YYYYMM"),
]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class ClassIn(Base, kw_only=True):
    gov_stat_code: StatCode
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z_-]{1,32}$")]
    name_ja: Name
    name_en: str = ""
    parent_id: uuid.UUID | None = None
    position: Position = 0
    published: bool = False


class ClassPatch(Base, kw_only=True):
    name_ja: Name | UnsetType = UNSET
    name_en: str | UnsetType = UNSET
    position: Position | UnsetType = UNSET
    published: bool | UnsetType = UNSET


class FileInfo(Base, kw_only=True):
    """統計表ファイルの情報: what the agency says about the file it registers."""

    gov_stat_code: StatCode
    table_no: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    title: Name
    survey_date: SurveyDate
    provision_class_id: uuid.UUID | None = None
    notes: Annotated[str, msgspec.Meta(max_length=20000)] = ""


FIELDS = ("gov_stat_code", "table_no", "title", "survey_date", "provision_class_id", "notes")


async def file_form(request: Request[Any, Any, Any]) -> tuple[FileInfo, tuple[bytes, str], tuple[bytes, str] | None]:
    """The multipart registration: `file` (CSV/XLSX), optional `params` (statdb hand-off) and the info fields."""
    form = await request.form()
    values = {k: str(form.get(k)).strip() for k in FIELDS if form.get(k) not in (None, "")}
    try:
        info = msgspec.convert(values, FileInfo, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = re.search(r"`\$\.(\w+)`", text) or re.search(r"field `(\w+)`", text)
        raise InvalidInput.field(found.group(1) if found else "form", text) from None
    file = form.get("file")
    if file is None or isinstance(file, str):
        raise InvalidInput.field("file", "統計表ファイルを添付してください / attach the table file")
    params = form.get("params")
    params_part = None
    if params is not None and not isinstance(params, str):
        content = await params.read()
        params_part = (content, params.filename or "params.yaml") if content else None
    return info, (await file.read(), file.filename or ""), params_part

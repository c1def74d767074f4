"""The items API under /api/items (ITEMS-1, ITEMS-2, issue 10 §2).

Public: search items and questionnaires, an item with every questionnaire that uses it, a published
questionnaire definition (JSON) and its DDI-Lifecycle 3.3 codebook. Agencies (and the operator):
register definition units, code lists and items; save questionnaire drafts (JSON or YAML) and
publish them; compare two versions."""

from __future__ import annotations

import uuid
import zipfile
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.module import access, public
from govstat.platform.security import Role
from govstat.platform.subsystems.items import published, queries, questionnaires, service, xlsform
from govstat.platform.subsystems.items.definition import Definition, decode, decode_yaml, encode
from govstat.platform.subsystems.items.diff import VersionDiff, diff
from govstat.platform.subsystems.items.schemas import (
    ClassificationListIn,
    CodeListIn,
    DefinitionUnitIn,
    Imported,
    ItemDoc,
    ItemIn,
    ItemPage,
    QuestionnairePage,
    Saved,
)
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Offset

MAINTAINERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.OPERATOR)
Words = Annotated[str | None, Parameter(max_length=200)]
Limit = Annotated[int, Parameter(ge=1, le=500)]
Version = Annotated[int | None, Parameter(ge=1, le=100000)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ItemKey = Annotated[str, Parameter(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$")]


@get("/search/items", opt=public("items.search"))
async def search_items(
    request: Request[Any, Any, Any], uow: UnitOfWork, q: Words = None, limit: Limit = 50, offset: Offset = 0
) -> ItemPage:
    """Survey items by Japanese keywords (kanji, kana or reading) or English."""
    page = await queries.search_items(uow, q or "", limit, offset)
    set_units(request, len(page.items))
    return page


@get("/search/questionnaires", opt=public("items.search"))
async def search_questionnaires(
    request: Request[Any, Any, Any], uow: UnitOfWork, q: Words = None, limit: Limit = 50, offset: Offset = 0
) -> QuestionnairePage:
    """Published questionnaires by keywords (title, survey, cycle, question wording)."""
    page = await queries.search_questionnaires(uow, q or "", limit, offset)
    set_units(request, len(page.items))
    return page


@get("/items/{item_id:str}", opt=public("items.read"))
async def item(uow: UnitOfWork, item_id: ItemKey) -> ItemDoc:
    """An item: every version with its answer item and code list, and every questionnaire that uses it."""
    return await queries.item_doc(uow, item_id)


@get("/questionnaires/{questionnaire_id:uuid}", opt=public("items.read"))
async def questionnaire(uow: UnitOfWork, questionnaire_id: uuid.UUID, version: Version = None) -> Definition:
    """A published questionnaire definition (the current one, or a former `version`)."""
    found = await published.questionnaire(uow, str(questionnaire_id), version)
    if found is None:
        raise NotFound("公開された調査票が見つかりません / no published questionnaire")
    return found.definition


@get("/questionnaires/{questionnaire_id:uuid}/diff", opt=public("items.read"))
async def version_diff(
    uow: UnitOfWork,
    questionnaire_id: uuid.UUID,
    old: Annotated[int, Parameter(ge=1, le=100000)],
    new: Annotated[int, Parameter(ge=1, le=100000)],
) -> VersionDiff:
    """What changed between two published versions, and the answer migration map by stable item id."""
    a = await published.questionnaire(uow, str(questionnaire_id), old)
    b = await published.questionnaire(uow, str(questionnaire_id), new)
    if a is None or b is None:
        raise NotFound("公開された版が見つかりません / version not published")
    return diff(a.definition, b.definition)


@get("/questionnaires/{questionnaire_id:uuid}/export", opt=public("items.export"))
async def export(
    uow: UnitOfWork,
    questionnaire_id: uuid.UUID,
    format: Literal["json", "ddi", "xlsform"] = "json",
    version: Version = None,
) -> Response[bytes]:
    """Download a published definition: `json` (the definition), `ddi` (DDI-Lifecycle 3.3 XML codebook)
    or `xlsform` (XLSX; the header X-Govstat-Not-Carried counts what the profile cannot hold; the
    report itself is at /xlsform-report)."""
    found = await published.questionnaire(uow, str(questionnaire_id), version)
    if found is None:
        raise NotFound("公開された調査票が見つかりません / no published questionnaire")
    d, name = found.definition, f"questionnaire-{questionnaire_id}-v{found.version}"
    if format == "ddi":
        # Imported on first use: lxml, few requests need (issue 15: the app's base RSS)
        from govstat.platform.subsystems.items import ddi

        return Response(ddi.export(d), media_type="application/xml", headers=_attachment(f"{name}.ddi33.xml"))
    if format == "xlsform":
        workbook, report = xlsform.export(d)
        headers = {**_attachment(f"{name}.xlsx"), "x-govstat-not-carried": str(len(report.not_carried))}
        return Response(workbook, media_type=XLSX, headers=headers)
    return Response(encode(d), media_type="application/json", headers=_attachment(f"{name}.json"))


@get("/questionnaires/{questionnaire_id:uuid}/xlsform-report", opt=public("items.export"))
async def xlsform_report(uow: UnitOfWork, questionnaire_id: uuid.UUID, version: Version = None) -> xlsform.Report:
    """What the XLSForm profile carries differently or cannot carry for this definition."""
    found = await published.questionnaire(uow, str(questionnaire_id), version)
    if found is None:
        raise NotFound("公開された調査票が見つかりません / no published questionnaire")
    return xlsform.export(found.definition)[1]


@post("/questionnaires/xlsform", opt=access(*MAINTAINERS, op="items.build", audit=True), status_code=201)
async def import_xlsform(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    survey: Annotated[str, Parameter(pattern=r"^[0-9A-Za-z_-]{1,32}$")],
    cycle: Annotated[str, Parameter(pattern=r"^[0-9A-Za-z_-]{1,32}$")],
    respondent_unit: Literal["household", "establishment", "enterprise"],
) -> Imported:
    """A new questionnaire draft from an XLSForm workbook (the request body, XLSX) of registered items."""
    body = await request.body()
    try:
        definition, report = xlsform.read(
            body, survey=survey, cycle=cycle, respondent_unit=respondent_unit, name="XLSForm", field="body"
        )
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, msgspec.ValidationError) as exc:
        raise InvalidInput.field("body", f"XLSForm（XLSX）を読めません / not an XLSForm workbook: {exc}") from None
    saved = await questionnaires.save_draft(uow, definition)
    return Imported(definition=saved, not_carried=report.not_carried, notes=report.notes)


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


@post("/definition-units", opt=access(*MAINTAINERS, op="items.maintain", audit=True), status_code=201)
async def save_unit(uow: UnitOfWork, data: DefinitionUnitIn) -> dict[str, str]:
    return {"id": await service.save_definition_unit(uow, data)}


@post("/code-lists", opt=access(*MAINTAINERS, op="items.maintain", audit=True), status_code=201)
async def save_code_list(uow: UnitOfWork, data: CodeListIn) -> Saved:
    """Register or edit a code list; a version a published questionnaire uses is kept and the edit makes the next."""
    return await service.save_code_list(uow, data)


@post("/code-lists/from-classification", opt=access(*MAINTAINERS, op="items.maintain", audit=True), status_code=201)
async def code_list_from_classification(uow: UnitOfWork, data: ClassificationListIn) -> Saved:
    """A code list of one level of a classification version (e.g. JSIC rev.14 大分類), linked to it."""
    return await service.code_list_from_classification(uow, data)


@post("/items", opt=access(*MAINTAINERS, op="items.maintain", audit=True), status_code=201)
async def save_item(uow: UnitOfWork, data: ItemIn) -> Saved:
    """Register or edit a survey item with its answer item; a version a published questionnaire uses is kept."""
    return await service.save_item(uow, data)


def _upload(body: bytes, content_type: str) -> Definition:
    try:
        if "yaml" in content_type:
            return decode_yaml(body.decode("utf-8"))
        return decode(body)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput.field("definition", str(exc)) from None


@post("/questionnaires", opt=access(*MAINTAINERS, op="items.build", audit=True), status_code=201)
async def create_questionnaire(request: Request[Any, Any, Any], uow: UnitOfWork) -> Definition:
    """A new questionnaire from a definition (JSON, or YAML with Content-Type application/yaml); its draft v1."""
    return await questionnaires.save_draft(uow, _upload(await request.body(), request.content_type[0]))


@post(
    "/questionnaires/{questionnaire_id:uuid}/draft",
    opt=access(*MAINTAINERS, op="items.build", audit=True),
    status_code=200,
)
async def save_questionnaire(
    request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID
) -> Definition:
    """Replace the draft (opens version n+1 when n is published)."""
    return await questionnaires.save_draft(
        uow, _upload(await request.body(), request.content_type[0]), questionnaire_id
    )


@post(
    "/questionnaires/{questionnaire_id:uuid}/publish",
    opt=access(*MAINTAINERS, op="items.publish", audit=True),
    status_code=200,
)
async def publish(uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Definition:
    return await questionnaires.publish(uow, questionnaire_id)


api = Router(
    path="/api/items",
    tags=["items / 調査項目データベース"],
    route_handlers=[
        search_items,
        search_questionnaires,
        item,
        questionnaire,
        version_diff,
        export,
        xlsform_report,
        import_xlsform,
        save_unit,
        save_code_list,
        code_list_from_classification,
        save_item,
        create_questionnaire,
        save_questionnaire,
        publish,
    ],
)

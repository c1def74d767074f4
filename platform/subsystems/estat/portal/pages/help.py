"""ESTAT-4 pages: help topics and the inquiry form (the helpdesk takes the inquiry)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get

from govstat.platform.security import Principal
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.portal.common import op_public
from govstat.platform.subsystems.estat.portal.pages.view import estat_pages, not_found, view

HELP_TOPICS = {
    "search": "統計データの探し方 / How to search",
    "api": "API の使い方 / Using the API",
    "licence": "利用規約・クレジット表示 / Terms of use and credit",
    "links": "リンク集 / Links",
}


@get("/help", opt=op_public("help"), include_in_schema=False)
async def help_index(request: Request) -> Any:
    return view(request, "estat/help.html", topic="", topics=HELP_TOPICS, base_url=get_settings().base_url)


@get("/help/{topic:str}", opt=op_public("help"), include_in_schema=False)
async def help_page(request: Request, topic: str) -> Any:
    if topic not in HELP_TOPICS:
        return not_found(request, f"ヘルプ「{topic}」はありません / no such help page")
    return view(request, "estat/help.html", topic=topic, topics=HELP_TOPICS, base_url=get_settings().base_url)


@get("/inquiry", opt=op_public("help"), include_in_schema=False)
async def inquiry_page(request: Request, principal: Principal) -> Any:
    return view(request, "estat/inquiry.html", subject=request.query_params.get("subject", "")[:200])


router = estat_pages(help_index, help_page, inquiry_page)

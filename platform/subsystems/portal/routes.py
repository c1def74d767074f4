"""The portal's JSON API under /api/portal (PORTAL-1, PORTAL-2): notices, boards, posts, pages,
attachments and search. Who sees what is row-level security; an object the caller may not see
answers 404, like another tenant's."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Response, Router, get, patch, post, put
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access, public
from govstat.platform.security import STAFF_ROLES, Principal, Role
from govstat.platform.subsystems.portal import articles, boards, files, notices, search
from govstat.platform.subsystems.portal.rows import (
    AttachmentRow,
    BoardRow,
    Hit,
    MemberRow,
    NoticeList,
    NoticeRow,
    PageRow,
    PostRow,
    Thread,
)
from govstat.platform.subsystems.portal.schemas import BoardIn, ModerateIn, NoticeIn, PageIn, PostIn
from govstat.platform.web.deps import set_units
from govstat.platform.web.paging import Offset

READERS = (*STAFF_ROLES, Role.PUBLIC)  # notices, boards and search: whoever is addressed or a member
STATISTICIANS = (Role.OPERATOR, Role.MIC, Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
OP = Role.OPERATOR
Limit = Annotated[int, Parameter(ge=1, le=200)]
Req = Request[Any, Any, Any]


@get("/notices", opt=access(*READERS, op="portal.notices", subscription=False))
async def list_notices(uow: UnitOfWork, principal: Principal, limit: Limit = 50, unread: bool = False) -> NoticeList:
    """The notices addressed to the caller, newest first, with unread marks (the operator: all of them)."""
    return await notices.listing(uow, limit=limit, unread_only=unread, manage=principal.is_operator)


@get("/public-notices", opt=public("portal.public_notices"))
async def public_notices(uow: UnitOfWork, limit: Limit = 20) -> list[NoticeRow]:
    """Notices addressed to the public, for anyone (no sign-in): 一般向けのお知らせ."""
    return await notices.public(uow, limit=limit)


@post("/notices", opt=access(OP, op="portal.notices_manage", audit=True))
async def create_notice(uow: UnitOfWork, data: NoticeIn) -> NoticeRow:
    """Write a notice (publish_at in the future schedules it)."""
    return await notices.create(uow, data)


@get("/notices/{notice_id:uuid}", opt=access(*READERS, op="portal.notices", subscription=False))
async def get_notice(uow: UnitOfWork, notice_id: uuid.UUID) -> NoticeRow:
    return await notices.get(uow, notice_id)


@put("/notices/{notice_id:uuid}", opt=access(OP, op="portal.notices_manage", audit=True))
async def update_notice(uow: UnitOfWork, notice_id: uuid.UUID, data: NoticeIn) -> NoticeRow:
    return await notices.update(uow, notice_id, data)


@post("/notices/{notice_id:uuid}/withdraw", opt=access(OP, op="portal.notices_manage", audit=True), status_code=200)
async def withdraw_notice(uow: UnitOfWork, notice_id: uuid.UUID) -> NoticeRow:
    return await notices.withdraw(uow, notice_id)


@post("/notices/{notice_id:uuid}/read", opt=access(*READERS, op="portal.notices", subscription=False), status_code=200)
async def read_notice(uow: UnitOfWork, notice_id: uuid.UUID) -> NoticeRow:
    return await notices.mark_read(uow, notice_id)


@get("/boards", opt=access(*READERS, op="portal.boards"))
async def list_boards(uow: UnitOfWork) -> list[BoardRow]:
    """The boards the caller is a member of."""
    return await boards.boards(uow)


@post("/boards", opt=access(OP, op="portal.boards_manage", audit=True))
async def create_board(uow: UnitOfWork, data: BoardIn) -> BoardRow:
    return await boards.create_board(uow, data)


@get("/boards/{board_id:uuid}/members", opt=access(*READERS, op="portal.boards"))
async def board_members(uow: UnitOfWork, board_id: uuid.UUID) -> list[MemberRow]:
    return await boards.members(uow, board_id)


@get("/boards/{board_id:uuid}/threads", opt=access(*READERS, op="portal.boards"))
async def board_threads(
    request: Req, uow: UnitOfWork, board_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> list[PostRow]:
    rows = await boards.threads(uow, board_id, limit=limit, offset=offset)
    set_units(request, len(rows))
    return rows


@post("/boards/{board_id:uuid}/posts", opt=access(*READERS, op="portal.post", audit=True))
async def new_thread(uow: UnitOfWork, principal: Principal, board_id: uuid.UUID, data: PostIn) -> PostRow:
    return await boards.write(uow, principal, board_id, data)


@get("/posts/{post_id:uuid}", opt=access(*READERS, op="portal.boards"))
async def get_thread(uow: UnitOfWork, post_id: uuid.UUID) -> Thread:
    """A thread: its first post and the replies, with their attachments."""
    return await boards.thread(uow, post_id)


@post("/posts/{post_id:uuid}/replies", opt=access(*READERS, op="portal.post", audit=True))
async def reply(uow: UnitOfWork, principal: Principal, post_id: uuid.UUID, data: PostIn) -> PostRow:
    return await boards.reply(uow, principal, post_id, data)


@patch("/posts/{post_id:uuid}", opt=access(*READERS, op="portal.post", audit=True))
async def edit_post(uow: UnitOfWork, post_id: uuid.UUID, data: PostIn) -> PostRow:
    """The author edits within the board's edit window (409 after it)."""
    return await boards.edit(uow, post_id, data)


@post("/posts/{post_id:uuid}/moderation", opt=access(OP, op="portal.moderate", audit=True), status_code=200)
async def moderate(uow: UnitOfWork, post_id: uuid.UUID, data: ModerateIn) -> PostRow:
    return await boards.moderate(uow, post_id, data)


@post(
    "/posts/{post_id:uuid}/attachments",
    opt=access(*READERS, op="portal.post", audit=True),
    request_max_body_size=files.MAX_BYTES + 65536,
)
async def attach_to_post(request: Req, uow: UnitOfWork, post_id: uuid.UUID) -> AttachmentRow:
    """Multipart `file`: PDF, images, Office Open XML, UTF-8 text or CSV, at most 10 MB (sniffed)."""
    return await boards.attach(uow, post_id, await files.form_upload(request))


@get("/files/{attachment_id:uuid}", opt=access(*READERS, op="portal.files"))
async def download(uow: UnitOfWork, attachment_id: uuid.UUID) -> Response[bytes]:
    """An attachment, always as a download with nosniff (never rendered by the browser)."""
    meta, content = await boards.attachment(uow, attachment_id)
    return Response(content, media_type=meta.content_type, headers=files.safe_headers(meta.filename))


@get("/pages", opt=access(*STATISTICIANS, op="portal.pages"))
async def list_pages(uow: UnitOfWork) -> list[PageRow]:
    return await articles.listing(uow)


@post("/pages", opt=access(OP, op="portal.pages_manage", audit=True))
async def create_page(uow: UnitOfWork, data: PageIn) -> PageRow:
    """A page in Markdown (rendered to sanitised HTML; raw HTML is not passed through)."""
    return await articles.save(uow, data)


@get("/pages/{page_id:uuid}", opt=access(*STATISTICIANS, op="portal.pages"))
async def get_page(uow: UnitOfWork, page_id: uuid.UUID) -> PageRow:
    return await articles.get(uow, page_id)


@put("/pages/{page_id:uuid}", opt=access(OP, op="portal.pages_manage", audit=True))
async def update_page(uow: UnitOfWork, page_id: uuid.UUID, data: PageIn) -> PageRow:
    return await articles.save(uow, data, page_id)


@post(
    "/pages/{page_id:uuid}/attachments",
    opt=access(OP, op="portal.pages_manage", audit=True),
    request_max_body_size=files.MAX_BYTES + 65536,
)
async def attach_to_page(request: Req, uow: UnitOfWork, page_id: uuid.UUID) -> AttachmentRow:
    return await articles.attach(uow, page_id, await files.form_upload(request))


@get("/search", opt=access(*READERS, op="portal.search"))
async def search_all(
    request: Req, uow: UnitOfWork, q: Annotated[str, Parameter(min_length=1, max_length=200)], limit: Limit = 50
) -> list[Hit]:
    """Japanese search over notices, posts and pages the caller may see."""
    hits = await search.search(uow, q, limit=limit)
    set_units(request, len(hits))
    return hits


api = Router(
    path="/api/portal",
    tags=["portal / 業務ポータルサイト"],
    route_handlers=[
        list_notices,
        public_notices,
        create_notice,
        get_notice,
        update_notice,
        withdraw_notice,
        read_notice,
        list_boards,
        create_board,
        board_members,
        board_threads,
        new_thread,
        get_thread,
        reply,
        edit_post,
        moderate,
        attach_to_post,
        download,
        list_pages,
        create_page,
        get_page,
        update_page,
        attach_to_page,
        search_all,
    ],
)

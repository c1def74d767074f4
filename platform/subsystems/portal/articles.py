"""統計専門職員向けページ (PORTAL-2): pages the operator maintains in Markdown, stored with their
sanitised HTML, read by agencies' staff (and MIC), with attachments."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict
from govstat.platform.subsystems.portal.boards import ATTACHMENT, store
from govstat.platform.subsystems.portal.files import Upload
from govstat.platform.subsystems.portal.render import markdown_html
from govstat.platform.subsystems.portal.rows import AttachmentRow, PageRow
from govstat.platform.subsystems.portal.schemas import PageIn
from govstat.platform.text.japanese import index_text

PAGE = "g.id, g.slug, g.title, g.body_md, g.body_html, g.updated_by, g.updated_at"


async def save(uow: UnitOfWork, data: PageIn, page_id: uuid.UUID | None = None) -> PageRow:
    """Create a page, or replace one's slug, title and text."""
    taken = await uow.fetchval(
        "SELECT id FROM portal_page WHERE slug = $1 AND id IS DISTINCT FROM $2", data.slug, page_id
    )
    if taken:
        raise Conflict(f"slug {data.slug} は使われています / is taken")
    args = (data.slug, data.title, data.body_md, markdown_html(data.body_md), index_text(data.title, data.body_md))
    if page_id is None:
        return await uow.one(
            PageRow,
            "INSERT INTO portal_page AS g (id, slug, title, body_md, body_html, search_text, updated_by)"
            f" VALUES ($1, $2, $3, $4, $5, $6, portal_reader()) RETURNING {PAGE}",
            uuid.uuid4(),
            *args,
        )
    return await uow.one(
        PageRow,
        "UPDATE portal_page AS g SET slug = $2, title = $3, body_md = $4, body_html = $5, search_text = $6,"
        f" updated_by = portal_reader(), updated_at = now() WHERE g.id = $1 RETURNING {PAGE}",
        page_id,
        *args,
        what="page ",
    )


async def listing(uow: UnitOfWork) -> list[PageRow]:
    return await uow.rows(PageRow, f"SELECT {PAGE} FROM portal_page g ORDER BY g.title LIMIT 1000")


async def get(uow: UnitOfWork, page_id: uuid.UUID) -> PageRow:
    row = await uow.one(PageRow, f"SELECT {PAGE} FROM portal_page g WHERE g.id = $1", page_id, what="page ")
    row.attachments = await uow.rows(
        AttachmentRow,
        f"SELECT {ATTACHMENT} FROM portal_attachment a WHERE a.page_id = $1 ORDER BY a.created_at",
        page_id,
    )
    return row


async def attach(uow: UnitOfWork, page_id: uuid.UUID, upload: Upload) -> AttachmentRow:
    await get(uow, page_id)
    return await store(uow, upload, page_id=page_id)

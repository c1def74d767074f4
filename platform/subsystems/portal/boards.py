"""掲示板 (PORTAL-2): the operator makes boards and names their members (tenants, kinds of user);
members post, reply and attach files, edit their own posts within the board's window, and the
operator hides posts. Membership is row-level security: a non-member's query finds no board, post or
attachment, and its ids answer 404."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, InvalidInput, NotFound
from govstat.platform.events.audit import emit
from govstat.platform.security import Principal
from govstat.platform.subsystems.portal.events import PostModerated, PostWritten
from govstat.platform.subsystems.portal.files import Upload
from govstat.platform.subsystems.portal.rows import AttachmentRow, BoardRow, MemberRow, PostRow, Thread
from govstat.platform.subsystems.portal.schemas import BoardIn, ModerateIn, PostIn
from govstat.platform.text.japanese import index_text

BOARD = "b.id, b.name, b.description, b.edit_window_minutes, b.created_at"
POST = "p.id, p.board_id, p.parent_id, p.author, p.author_name, p.title, p.body, p.hidden, p.moderation_note,"
POST += " p.created_at, p.edited_at"
ATTACHMENT = "a.id, a.post_id, a.page_id, a.filename, a.content_type, a.size_bytes, a.sha256, a.created_at"


async def create_board(uow: UnitOfWork, data: BoardIn) -> BoardRow:
    if not data.member_tenants and not data.member_kinds:
        raise InvalidInput.field("member_tenants", "メンバーを指定してください / name at least one member")
    board = await uow.one(
        BoardRow,
        "INSERT INTO portal_board AS b (id, name, description, edit_window_minutes, created_by)"
        f" VALUES ($1, $2, $3, $4, $5) RETURNING {BOARD}",
        uuid.uuid4(),
        data.name,
        data.description,
        data.edit_window_minutes,
        uow.scope.actor,
    )
    for tenant_id in dict.fromkeys(data.member_tenants):
        if not await uow.fetchval("SELECT 1 FROM directory_tenant WHERE id = $1", tenant_id):
            raise InvalidInput.field("member_tenants", f"利用機関 {tenant_id} はありません / no such tenant")
        await uow.execute(
            "INSERT INTO portal_board_member (id, board_id, member_tenant_id) VALUES ($1, $2, $3)",
            uuid.uuid4(),
            board.id,
            tenant_id,
        )
    for kind in dict.fromkeys(data.member_kinds):
        await uow.execute(
            "INSERT INTO portal_board_member (id, board_id, member_kind) VALUES ($1, $2, $3)",
            uuid.uuid4(),
            board.id,
            kind,
        )
    return board


async def boards(uow: UnitOfWork) -> list[BoardRow]:
    return await uow.rows(
        BoardRow,
        f"SELECT {BOARD}, (SELECT count(*) FROM portal_post p WHERE p.board_id = b.id AND p.parent_id IS NULL)"
        " AS threads FROM portal_board b ORDER BY b.created_at DESC LIMIT 500",
    )


async def board(uow: UnitOfWork, board_id: uuid.UUID) -> BoardRow:
    return await uow.one(BoardRow, f"SELECT {BOARD} FROM portal_board b WHERE b.id = $1", board_id, what="board ")


async def members(uow: UnitOfWork, board_id: uuid.UUID) -> list[MemberRow]:
    await board(uow, board_id)
    return await uow.rows(
        MemberRow,
        "SELECT m.id, m.member_tenant_id, m.member_kind, t.name_ja AS tenant_name FROM portal_board_member m"
        " LEFT JOIN directory_tenant t ON t.id = m.member_tenant_id WHERE m.board_id = $1 ORDER BY 4, 3",
        board_id,
    )


async def threads(uow: UnitOfWork, board_id: uuid.UUID, *, limit: int, offset: int) -> list[PostRow]:
    await board(uow, board_id)
    return await uow.rows(
        PostRow,
        f"SELECT {POST}, (SELECT count(*) FROM portal_post r WHERE r.parent_id = p.id) AS replies"
        " FROM portal_post p WHERE p.board_id = $1 AND p.parent_id IS NULL"
        f" ORDER BY p.created_at DESC LIMIT {int(limit)} OFFSET {int(offset)}",
        board_id,
    )


async def _attachments(uow: UnitOfWork, post_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[AttachmentRow]]:
    rows = await uow.rows(
        AttachmentRow,
        f"SELECT {ATTACHMENT} FROM portal_attachment a WHERE a.post_id = ANY($1::uuid[]) ORDER BY a.created_at",
        post_ids,
    )
    out: dict[uuid.UUID, list[AttachmentRow]] = {}
    for a in rows:
        if a.post_id is not None:
            out.setdefault(a.post_id, []).append(a)
    return out


async def post(uow: UnitOfWork, post_id: uuid.UUID) -> PostRow:
    return await uow.one(PostRow, f"SELECT {POST} FROM portal_post p WHERE p.id = $1", post_id, what="post ")


async def thread(uow: UnitOfWork, post_id: uuid.UUID) -> Thread:
    root = await post(uow, post_id)
    if root.parent_id is not None:
        root = await post(uow, root.parent_id)
    replies = await uow.rows(
        PostRow, f"SELECT {POST} FROM portal_post p WHERE p.parent_id = $1 ORDER BY p.created_at, p.id", root.id
    )
    files = await _attachments(uow, [root.id, *(r.id for r in replies)])
    for p in (root, *replies):
        p.attachments = files.get(p.id, [])
    return Thread(board=await board(uow, root.board_id), root=root, replies=replies)


async def write(
    uow: UnitOfWork, principal: Principal, board_id: uuid.UUID, data: PostIn, *, parent_id: uuid.UUID | None = None
) -> PostRow:
    """A new thread (parent_id None, title required) or a reply to a thread's first post."""
    await board(uow, board_id)
    if parent_id is None and not data.title.strip():
        raise InvalidInput.field("title", "スレッドの題名を入力してください / a thread needs a title")
    row = await uow.one(
        PostRow,
        "INSERT INTO portal_post AS p (id, board_id, parent_id, author, author_name, author_tenant_id, title, body,"
        f" search_text) VALUES ($1, $2, $3, portal_reader(), $4, $5, $6, $7, $8) RETURNING {POST}",
        uuid.uuid4(),
        board_id,
        parent_id,
        principal.name or principal.subject,
        principal.tenant_id,
        data.title.strip(),
        data.body,
        index_text(data.title, data.body),
    )
    await emit(uow, PostWritten(post_id=row.id, board_id=board_id, reply=parent_id is not None))
    return row


async def reply(uow: UnitOfWork, principal: Principal, post_id: uuid.UUID, data: PostIn) -> PostRow:
    root = await post(uow, post_id)
    return await write(uow, principal, root.board_id, data, parent_id=root.parent_id or root.id)


async def edit(uow: UnitOfWork, post_id: uuid.UUID, data: PostIn) -> PostRow:
    """The author changes a post within the board's edit window (row-level security: only their own)."""
    current = await post(uow, post_id)
    row = await uow.row(
        PostRow,
        "UPDATE portal_post AS p SET body = $2, title = CASE WHEN p.parent_id IS NULL AND $3 <> '' THEN $3"
        " ELSE p.title END, search_text = $4, edited_at = now() FROM portal_board b"
        " WHERE p.id = $1 AND b.id = p.board_id AND p.author = portal_reader()"
        f" AND p.created_at > now() - make_interval(mins => b.edit_window_minutes) RETURNING {POST}",
        post_id,
        data.body,
        data.title.strip(),
        index_text(data.title or current.title, data.body),
    )
    if row is None:
        raise Conflict("編集できるのは投稿者だけで、編集期間内に限ります / only the author may edit, within the window")
    return row


async def moderate(uow: UnitOfWork, post_id: uuid.UUID, data: ModerateIn) -> PostRow:
    row = await uow.one(
        PostRow,
        f"UPDATE portal_post AS p SET hidden = $2, moderation_note = $3 WHERE p.id = $1 RETURNING {POST}",
        post_id,
        data.hidden,
        data.note,
        what="post ",
    )
    await emit(uow, PostModerated(post_id=row.id, hidden=row.hidden))
    return row


async def attach(uow: UnitOfWork, post_id: uuid.UUID, upload: Upload) -> AttachmentRow:
    """A file on one's own post (row-level security checks the author)."""
    row = await post(uow, post_id)
    if row.author != uow.scope.actor and not uow.scope.cross_tenant:
        raise NotFound("post の投稿者だけが添付できます / only the author attaches files")
    return await store(uow, upload, post_id=post_id)


async def store(
    uow: UnitOfWork, upload: Upload, *, post_id: uuid.UUID | None = None, page_id: uuid.UUID | None = None
) -> AttachmentRow:
    return await uow.one(
        AttachmentRow,
        "INSERT INTO portal_attachment AS a (id, post_id, page_id, filename, content_type, size_bytes, sha256,"
        f" content, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, portal_reader()) RETURNING {ATTACHMENT}",
        uuid.uuid4(),
        post_id,
        page_id,
        upload.filename,
        upload.content_type,
        upload.size_bytes,
        upload.sha256,
        upload.content,
    )


async def attachment(uow: UnitOfWork, attachment_id: uuid.UUID) -> tuple[AttachmentRow, bytes]:
    meta = await uow.one(
        AttachmentRow, f"SELECT {ATTACHMENT} FROM portal_attachment a WHERE a.id = $1", attachment_id, what="file "
    )
    content: bytes = await uow.fetchval("SELECT content FROM portal_attachment WHERE id = $1", attachment_id)
    return meta, content

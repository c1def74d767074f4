"""What the business portal declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.portal.events import EVENTS
from govstat.platform.subsystems.portal.notify import MAIL_JOB
from govstat.platform.subsystems.portal.pages import pages
from govstat.platform.subsystems.portal.routes import api
from govstat.platform.subsystems.portal.tables import ALL

module = Module(
    key="portal",
    name_ja="業務ポータルサイト",
    name_en="Business portal",
    users="agencies, intermediaries, public",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("portal.notices", "お知らせの参照"),
        Operation("portal.public_notices", "一般向けお知らせの参照"),
        Operation("portal.notices_manage", "お知らせの作成・変更・取下げ"),
        Operation("portal.boards", "掲示板の参照"),
        Operation("portal.boards_manage", "掲示板の作成"),
        Operation("portal.post", "掲示板への投稿・返信・添付"),
        Operation("portal.moderate", "掲示板の管理（非表示）"),
        Operation("portal.files", "添付ファイルのダウンロード", unit="file"),
        Operation("portal.pages", "統計専門職員向けページの参照"),
        Operation("portal.pages_manage", "統計専門職員向けページの維持管理"),
        Operation("portal.search", "ポータルの検索", unit="row"),
    ),
    jobs=(MAIL_JOB,),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.portal.piccolo_app",
    nav=(
        ("/portal/notices", "お知らせ / Notices"),
        ("/portal/boards", "掲示板 / Boards"),
    ),
)

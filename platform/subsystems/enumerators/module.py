"""What enumerator management declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.enumerators.events import EVENTS
from govstat.platform.subsystems.enumerators.jobs import FOLLOW_JOB
from govstat.platform.subsystems.enumerators.pages import pages
from govstat.platform.subsystems.enumerators.routes import api
from govstat.platform.subsystems.enumerators.tables import ALL

module = Module(
    key="enumerators",
    name_ja="調査員管理システム",
    name_en="Enumerator management",
    users="agencies, intermediaries",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("enumerators.read", "調査員情報の参照（監査対象）"),
        Operation("enumerators.write", "調査員の登録・変更・担当地域の割当"),
        Operation("enumerators.export", "調査員名簿のダウンロード", unit="file"),
    ),
    jobs=(FOLLOW_JOB,),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.enumerators.piccolo_app",
    nav=(("/enumerators", "調査員 / Enumerators"),),
)

"""What the on-site system declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.onsite.events import EVENTS
from govstat.platform.subsystems.onsite.jobs import RETENTION_JOB
from govstat.platform.subsystems.onsite.pages import agency_pages, researcher_pages
from govstat.platform.subsystems.onsite.routes import agency_api, facility_api, researcher_api
from govstat.platform.subsystems.onsite.tables import ALL

module = Module(
    key="onsite",
    name_ja="オンサイト利用システム",
    name_en="On-site microdata use",
    users="on-site users, agencies",
    routers=(agency_api, facility_api, researcher_api, researcher_pages, agency_pages),
    tables=tuple(ALL),
    operations=(
        Operation("onsite.datasets", "調査票情報の登録・読込・消去"),
        Operation("onsite.grants", "利用承認の審査"),
        Operation("onsite.reviews", "出力の審査"),
        Operation("onsite.facilities", "施設・端末の登録"),
        Operation("onsite.read", "オンサイト利用の参照"),
        Operation("onsite.apply", "利用申請・出力審査の依頼"),
        Operation("onsite.session", "オンサイト利用のセッション"),
        Operation("onsite.aggregate", "集計（出力チェック付き）", unit="cell"),
    ),
    jobs=(RETENTION_JOB,),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.onsite.piccolo_app",
    nav=(("/onsite", "オンサイト利用 / On-site"),),
)

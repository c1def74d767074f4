"""What the online survey system declares to the platform (PLAT-2): routes, operations, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.online.events import EVENTS
from govstat.platform.subsystems.online.intermediaries.feature import feature as intermediaries
from govstat.platform.subsystems.online.jobs import JOBS
from govstat.platform.subsystems.online.pages import respondent_pages
from govstat.platform.subsystems.online.reception.feature import feature as reception
from govstat.platform.subsystems.online.recovery.feature import feature as recovery
from govstat.platform.subsystems.online.routes import api
from govstat.platform.subsystems.online.tables import ALL

module = Module(
    key="online",
    name_ja="オンライン調査システム",
    name_en="Online surveys",
    users="agencies, intermediaries, respondents",
    routers=(api, respondent_pages),
    tables=tuple(ALL),
    operations=(
        Operation("online.survey_manage", "調査の登録・変更"),
        Operation("online.survey_read", "調査の参照"),
        Operation("online.respondents_import", "調査対象者の登録・ログインID発行", unit="row"),
        Operation("online.respondents_read", "調査対象者の参照", unit="row"),
        Operation("online.answer", "調査票の表示・下書き（調査対象者）"),
        Operation("online.submit", "調査票の提出（調査対象者）"),
        Operation("online.answers_export", "調査票情報の取得（機関API）"),
    ),
    jobs=JOBS,
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.online.piccolo_app",
    nav=(("/online/manage", "オンライン調査 / Online surveys"), ("/online", "調査への回答 / Answer a survey")),
    features=(reception, intermediaries, recovery),
)

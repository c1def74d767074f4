"""The gateway's own routes and parts: sign-in, portal entry, billing, SLA."""

from govstat.gateway import billing, sla
from govstat.gateway.routes import ROUTES
from govstat.platform.module import Module, Operation

CONSUMERS = (*billing.CONSUMERS, *sla.CONSUMERS)

module = Module(
    key="gateway",
    name_ja="ゲートウェイ",
    name_en="Gateway",
    users="everyone",
    routers=(*ROUTES, *billing.ROUTERS, *sla.ROUTERS),
    operations=(
        Operation("auth.sign_in_page", "サインイン画面"),
        Operation("auth.sign_in", "サインイン"),
        Operation("auth.sign_out", "サインアウト"),
        Operation("auth.me", "利用者情報"),
        Operation("portal.home", "業務ポータル"),
        *billing.OPERATIONS,
        *sla.OPERATIONS,
    ),
    jobs=(*billing.JOBS, *sla.JOBS),
    consumers=CONSUMERS,
    piccolo_app="govstat.gateway.piccolo_app",
)

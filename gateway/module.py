"""What the gateway declares to the platform: its own routes (sign-in, portal entry) and its
features' (billing, SLA)."""

from govstat.gateway.billing.feature import feature as billing
from govstat.gateway.routes import ROUTES
from govstat.gateway.sla.feature import feature as sla
from govstat.platform.module import Module, Operation

module = Module(
    key="gateway",
    name_ja="ゲートウェイ",
    name_en="Gateway",
    users="everyone",
    routers=ROUTES,
    operations=(
        Operation("auth.sign_in_page", "サインイン画面"),
        Operation("auth.sign_in", "サインイン"),
        Operation("auth.sign_out", "サインアウト"),
        Operation("auth.me", "利用者情報"),
        Operation("portal.home", "業務ポータル"),
    ),
    piccolo_app="govstat.gateway.piccolo_app",
    features=(billing, sla),
)

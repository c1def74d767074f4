"""The gateway's own routes: sign-in, sign-out, who am I, the portal entry."""
from govstat.platform.module import Module, Operation
from govstat.gateway.routes import ROUTES

module = Module(
    key="gateway",
    name_ja="ゲートウェイ",
    name_en="Gateway",
    users="everyone",
    routers=tuple(ROUTES),
    operations=(
        Operation("auth.sign_in_page", "サインイン画面"),
        Operation("auth.sign_in", "サインイン"),
        Operation("auth.sign_out", "サインアウト"),
        Operation("auth.me", "利用者情報"),
        Operation("portal.home", "業務ポータル"),
    ),
    piccolo_app="govstat.gateway.piccolo_app",
)

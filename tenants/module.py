"""The authentication subsystem (認証システム, key `auth`): tenants, users, credentials, masters."""

from govstat.platform.module import Module, Operation
from govstat.tenants.account_routes import router as account_router
from govstat.tenants.routes import router
from govstat.tenants.tables import ALL

module = Module(
    key="auth",
    name_ja="認証システム",
    name_en="Authentication",
    users="agencies, intermediaries",
    routers=(router, account_router),
    tables=tuple(ALL),
    operations=(
        Operation("auth.read", "利用機関・利用者情報の参照"),
        Operation("auth.manage", "利用機関・利用者・マスタの管理"),
        Operation("auth.register", "一般利用者の登録"),
        Operation("auth.app_ids", "アプリケーションIDの管理"),
    ),
    events=(),
    piccolo_app="govstat.tenants.piccolo_app",
)

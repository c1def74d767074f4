"""The authentication subsystem (認証システム, key `auth`): tenants, users, credentials, masters;
what it declares to the platform, with the general users' self-service (accounts/)."""

from govstat.platform.module import Module, Operation
from govstat.tenants.accounts.feature import feature as accounts
from govstat.tenants.routes import router
from govstat.tenants.tables import ALL

module = Module(
    key="auth",
    name_ja="認証システム",
    name_en="Authentication",
    users="agencies, intermediaries",
    routers=(router,),
    tables=tuple(ALL),
    operations=(
        Operation("auth.read", "利用機関・利用者情報の参照"),
        Operation("auth.manage", "利用機関・利用者・マスタの管理"),
    ),
    events=(),
    piccolo_app="govstat.tenants.piccolo_app",
    features=(accounts,),
)

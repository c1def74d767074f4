"""What the general users' self-service adds to the auth module."""

from govstat.platform.module import Feature, Operation
from govstat.tenants.accounts.routes import router

feature = Feature(
    name="accounts",
    routers=(router,),
    operations=(Operation("auth.register", "一般利用者の登録"), Operation("auth.app_ids", "アプリケーションIDの管理")),
)

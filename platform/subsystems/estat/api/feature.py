"""What the e-Stat API adds to the estat module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.estat.api.routes import api

feature = Feature(
    name="api",
    routers=(api,),
    operations=(
        Operation("estat.api.meta", "e-Stat API（統計表情報・メタ情報・カタログ・データセット）"),
        Operation("estat.api.data", "e-Stat API（統計データ取得）", unit="row"),
    ),
)

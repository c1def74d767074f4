"""政府統計の総合窓口 (e-Stat): the portal and the e-Stat API 3.0, compatible (ESTAT-1..5)."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.estat import portal
from govstat.platform.subsystems.estat.api.routes import api
from govstat.platform.subsystems.estat.lod import lod
from govstat.platform.subsystems.estat.tables import ALL

module = Module(
    key="estat",
    name_ja="政府統計の総合窓口",
    name_en="e-Stat portal",
    users="public, agencies",
    routers=(api, lod, *portal.ROUTERS),
    tables=tuple(ALL),
    operations=(
        Operation("estat.api.meta", "e-Stat API（統計表情報・メタ情報・カタログ・データセット）"),
        Operation("estat.api.data", "e-Stat API（統計データ取得）", unit="row"),
        Operation("estat.lod", "Linked Open Data"),
        *portal.OPERATIONS,
    ),
    jobs=portal.JOBS,
    events=(),
    consumers=portal.CONSUMERS,
    piccolo_app="govstat.platform.subsystems.estat.piccolo_app",
    nav=portal.NAV,
    probe="/rest/3.0/app/json/getStatsList?limit=1",
)

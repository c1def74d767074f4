"""What the statistical GIS declares to the platform (GIS-1): routes, operations, jobs."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.gis.jobs import RELOAD
from govstat.platform.subsystems.gis.own.feature import feature as own
from govstat.platform.subsystems.gis.pages import pages
from govstat.platform.subsystems.gis.routes import api
from govstat.platform.subsystems.gis.tables import ALL

module = Module(
    key="gis",
    name_ja="統計地理情報システム",
    name_en="Statistical GIS",
    users="public, agencies",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("gis.read", "境界データ・階級区分の参照", unit="row"),
        Operation("gis.tile", "地図タイルの取得"),
        Operation("gis.download", "境界データのダウンロード", unit="row"),
        Operation("gis.maintain", "境界データの維持管理"),
    ),
    jobs=(RELOAD.job,),
    piccolo_app="govstat.platform.subsystems.gis.piccolo_app",
    nav=(("/gis", "統計地図 / Maps"),),
    features=(own,),
    probe="/api/gis/boundaries?level=prefecture",
)

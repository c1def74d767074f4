"""What bring-your-own-data adds to the GIS module: its API, operations and events."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.gis.own.events import EVENTS
from govstat.platform.subsystems.gis.own.routes import router

feature = Feature(
    name="own",
    routers=(router,),
    operations=(
        Operation("gis.allocate", "面積按分による推計", unit="row"),
        Operation("gis.areas", "範囲の作成・参照"),
        Operation("gis.upload", "地点データの登録・参照", unit="file"),
        Operation("gis.aggregate", "地点データの集計", unit="row"),
        Operation("gis.export", "作成したデータの一括ダウンロード", unit="row"),
    ),
    events=EVENTS,
)

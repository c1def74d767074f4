"""What SDMX-REST adds to the estat module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.estat.sdmx.routes import sdmx

feature = Feature(
    name="sdmx",
    routers=(sdmx,),
    operations=(
        Operation("estat.sdmx.structure", "SDMX-REST（データフロー・データ構造定義・コードリスト）"),
        Operation("estat.sdmx.data", "SDMX-REST（データ取得）", unit="row"),
    ),
)

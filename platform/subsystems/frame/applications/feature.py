"""Frame-use applications as a feature of the frame module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.frame.applications.routes import api

feature = Feature(
    name="applications",
    routers=(api,),
    operations=(
        Operation("frame.apply", "母集団利用申請"),
        Operation("frame.review", "申請の審査"),
        Operation("frame.extract", "母集団の抽出", unit="row"),
        Operation("frame.deliver", "母集団情報の提供", unit="file"),
        Operation("frame.download", "提供ファイルのダウンロード", unit="file"),
    ),
)

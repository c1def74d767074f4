"""What the metadata subsystem declares to the platform (PLAT-2): routes, operations, jobs, events."""

from govstat.platform.module import Module, Operation
from govstat.platform.subsystems.metadata.events import EVENTS
from govstat.platform.subsystems.metadata.pages import pages
from govstat.platform.subsystems.metadata.routes import api
from govstat.platform.subsystems.metadata.tables import ALL

module = Module(
    key="metadata",
    name_ja="統計メタデータレジストリ",
    name_en="Statistical metadata registry",
    users="public, agencies",
    routers=(api, pages),
    tables=tuple(ALL),
    operations=(
        Operation("metadata.search", "公開メタデータの検索", unit="row"),
        Operation("metadata.read", "公開メタデータの参照"),
        Operation("metadata.export", "メタデータの出力（JSON・DDI）"),
        Operation("metadata.link", "統計表とメタデータの連携（統計表からの参照）"),
        Operation("metadata.manage", "メタデータ（下書きを含む）の参照", unit="row"),
        Operation("metadata.register", "メタデータの登録・更新"),
        Operation("metadata.finalise", "メタデータの確定"),
        Operation("metadata.approve", "メタデータの承認・差戻し（公開）"),
    ),
    events=EVENTS,
    piccolo_app="govstat.platform.subsystems.metadata.piccolo_app",
    nav=(("/metadata", "メタデータ / Metadata"),),
    probe="/api/metadata/surveys?limit=1",
)

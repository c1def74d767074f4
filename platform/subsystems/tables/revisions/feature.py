"""What replacements and withdrawals add to the tables module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.tables.revisions.routes import api

feature = Feature(
    name="revisions",
    routers=(api,),
    operations=(
        Operation("tables.replace", "公表済み統計表ファイルの差替え", unit="file"),
        Operation("tables.withdraw", "公表済み統計表ファイルの取り下げ"),
    ),
)

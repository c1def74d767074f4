"""The recovery feature of the online survey system: a new password through a verified e-mail."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.online.recovery.mail import RECOVERY_MAIL
from govstat.platform.subsystems.online.recovery.pages import recovery_pages
from govstat.platform.subsystems.online.recovery.service import RECOVERY_REQUEST

feature = Feature(
    name="recovery",
    routers=(recovery_pages,),
    jobs=(RECOVERY_REQUEST, RECOVERY_MAIL),
    operations=(Operation("online.recover", "パスワードの再設定（メール経由、調査対象者）"),),
)

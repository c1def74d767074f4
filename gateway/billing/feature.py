"""What billing adds to the gateway module: routers, operations, jobs and Kafka consumers."""

from govstat.gateway.billing.charges import ExtraChargeConsumer
from govstat.gateway.billing.jobs import INVOICE_RUN
from govstat.gateway.billing.pages import pages
from govstat.gateway.billing.routes import api
from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.platform.module import Feature, Operation

feature = Feature(
    name="billing",
    routers=(api, pages),
    operations=(
        Operation("billing.invoices", "請求書の参照"),
        Operation("billing.pages", "利用料金画面・請求書CSV"),
        Operation("billing.run", "請求処理の実行"),
        Operation("billing.fees", "料金（年額・プラン・単価）の参照"),
        Operation("billing.fees_manage", "料金の設定（協議会の決定・意見聴取）"),
        Operation("billing.charges", "個別費用の参照"),
        Operation("billing.charges_manage", "個別費用の登録"),
    ),
    jobs=(INVOICE_RUN,),
    consumers=(BillableUsageConsumer, ExtraChargeConsumer),
)

"""Gateway billing (GOV-4, GOV-5, GOV-11): usage read model, fees, extra charges, monthly invoices.

Exports what the gateway module assembles: routers, operations, jobs and Kafka consumers.
"""

from govstat.gateway.billing.charges import ExtraChargeConsumer
from govstat.gateway.billing.jobs import INVOICE_RUN
from govstat.gateway.billing.pages import pages
from govstat.gateway.billing.routes import api
from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.platform.module import Operation

ROUTERS: tuple = (api, pages)
OPERATIONS: tuple = (
    Operation("billing.invoices", "請求書の参照"),
    Operation("billing.pages", "利用料金画面・請求書CSV"),
    Operation("billing.run", "請求処理の実行"),
    Operation("billing.fees", "料金（年額・プラン・単価）の参照"),
    Operation("billing.fees_manage", "料金の設定（協議会の決定・意見聴取）"),
    Operation("billing.charges", "個別費用の参照"),
    Operation("billing.charges_manage", "個別費用の登録"),
)
JOBS: tuple = (INVOICE_RUN,)
CONSUMERS: tuple = (BillableUsageConsumer, ExtraChargeConsumer)

"""Run with a private stack's settings (`python -m tests.support.fault_setup`): an approved body on a
priced plan with roomy limits and an admin API key; prints them as JSON for the fault tests."""

from __future__ import annotations

import asyncio
import json

from govstat.platform.db.engine import close_pool, start_pool
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.billing_factories import make_approved_body, make_plan
from tests.support.factories import api_key

UNIT_PRICE, BASE_FEE = 3, 10_000  # yen per area.search unit; the plan's monthly base fee


async def main() -> dict:
    await start_pool()
    try:
        plan = await make_plan(BASE_FEE, {("area", "area.search"): (str(UNIT_PRICE), 0)})
        async with UnitOfWork(Scope.system("test")) as uow:  # the load must not meet the rate limit
            await uow.execute("UPDATE fee_plan SET rate_quota = 1000000, rate_burst = 100000 WHERE code = $1", plan)
        body = await make_approved_body(plan)
        token = await api_key(body.id, roles=("agency_admin", "agency_staff"))
    finally:
        await close_pool()
    return {"tenant_id": str(body.id), "code": body.code, "token": token, "plan": plan}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))

import pytest_asyncio

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

CENSUS = (
    "SELECT stats_data_id FROM stat_table WHERE gov_stat_code = '00200521' AND table_no = '1-1-1'"
    " AND status = 'published' ORDER BY id LIMIT 1"
)


@pytest_asyncio.fixture
async def census() -> str:
    """The 2020 census table the seed published (other tests register tables of the same statistic)."""
    async with UnitOfWork(Scope.system("test")) as uow:
        return await uow.fetchval(CENSUS)

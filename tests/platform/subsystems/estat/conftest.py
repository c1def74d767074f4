"""The e-Stat API and portal tests' shared set-up: the published census table, the catalogue's
published tables (made once per session by their support modules) and a signed-in general user's
appId. A test file that needs something else defines its own fixture of the same name."""

import pytest

from tests.platform.subsystems.estat.estat_catalog_support import published_tables
from tests.platform.subsystems.estat.estat_support import app_id_for, published_census


@pytest.fixture
async def census():
    return await published_census()


@pytest.fixture
async def tables():
    return await published_tables()


@pytest.fixture
async def app_id(client):
    return await app_id_for(client)

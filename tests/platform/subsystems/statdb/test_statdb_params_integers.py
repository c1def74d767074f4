"""Review h21: an integer field of a parameter file that str.isdigit() takes for digits but int()
refuses (a superscript "²", or thousands of digits past int()'s 4,300) is the field's 422 naming its
line, not a 500."""

import pytest

from tests.platform.subsystems.statdb.statdb_support import small_params
from tests.platform.subsystems.statdb.test_statdb_yaml_limits import _register


@pytest.mark.parametrize("column", ["²", "4" * 5000])
async def test_a_column_int_refuses_is_the_field_s_problem(client, column):
    params = small_params(1).replace(b"{column: 4,", f'{{column: "{column}",'.encode())
    r = await _register(client, params)
    assert r.status_code == 422, r.text[:300]
    assert r.json()["errors"][0]["field"].endswith("data.values[0].column")

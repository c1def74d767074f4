import pytest

from govstat.platform.errors import ConfigError
from govstat.platform.settings import load_settings


def test_defaults_and_values_from_environment():
    s = load_settings({"GOVSTAT_PORT": "8123", "GOVSTAT_COOKIE_SECURE": "true", "PATH": "/bin"})
    assert s.port == 8123 and s.cookie_secure is True
    assert s.database_url.startswith("postgresql://govstat_app")


@pytest.mark.parametrize(
    "name,value",
    [
        ("GOVSTAT_PORT", "eighty"),
        ("GOVSTAT_PORT", "70000"),
        ("GOVSTAT_ENV", "staging"),
        ("GOVSTAT_SECRET_KEY", "short"),
    ],
)
def test_bad_value_names_the_variable(name, value):
    with pytest.raises(ConfigError) as info:
        load_settings({name: value})
    assert name in info.value.detail


def test_unknown_setting_is_refused():
    with pytest.raises(ConfigError) as info:
        load_settings({"GOVSTAT_DATABSE_URL": "postgresql://x"})
    assert "GOVSTAT_DATABSE_URL" in info.value.detail and "GOVSTAT_DATABASE_URL" in info.value.detail


def test_cli_refuses_to_start_with_bad_setting(root):
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "govstat.platform.root", "migrate"],
        cwd=root,
        env={**os.environ, "GOVSTAT_KAFKA_PARTITIONS": "zero"},
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "GOVSTAT_KAFKA_PARTITIONS" in out.stderr

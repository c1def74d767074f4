"""In production the development defaults are refused at start-up, naming the variable."""

import os
import subprocess
import sys

import pytest

from govstat.platform.errors import ConfigError
from govstat.platform.settings import DEV_SECRET_KEY, load_settings

GOOD = {
    "GOVSTAT_ENV": "prod",
    "GOVSTAT_SECRET_KEY": "a-long-random-production-secret-0123",
    "GOVSTAT_COOKIE_SECURE": "true",
    "GOVSTAT_ONSITE_MASTER_KEY": "ab" * 32,
}


@pytest.mark.parametrize(
    "drop,variable",
    [
        ("GOVSTAT_SECRET_KEY", "GOVSTAT_SECRET_KEY"),
        ("GOVSTAT_COOKIE_SECURE", "GOVSTAT_COOKIE_SECURE"),
        ("GOVSTAT_ONSITE_MASTER_KEY", "GOVSTAT_ONSITE_MASTER_KEY"),
    ],
)
def test_production_refuses_the_development_defaults(drop, variable):
    with pytest.raises(ConfigError) as info:
        load_settings({k: v for k, v in GOOD.items() if k != drop})
    assert variable in info.value.detail and "GOVSTAT_ENV=prod" in info.value.detail


def test_production_with_its_own_values_starts_and_other_envs_keep_the_defaults():
    assert load_settings(GOOD).env == "prod"
    assert load_settings({"GOVSTAT_ENV": "dev"}).cookie_secure is False
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "GOVSTAT_COOKIE_SECURE": "false"})


def _govstat(root, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "govstat.platform.root", *args],
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_in_production_with_the_default_secret_does_not_start(root):
    out = _govstat(root, "serve", "--port", "1", **{**GOOD, "GOVSTAT_SECRET_KEY": DEV_SECRET_KEY})
    assert out.returncode != 0 and "GOVSTAT_SECRET_KEY" in out.stderr


def test_seeding_the_demo_in_production_is_refused(root):
    out = _govstat(root, "seed", "--demo", **GOOD)
    assert out.returncode != 0
    assert "GOVSTAT_ENV=prod" in out.stderr and "--no-demo" in out.stderr

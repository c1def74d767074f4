"""The README's settings table and commands stay true to the code."""

import msgspec

from govstat.platform.root.cli import main
from govstat.platform.settings import Settings, env_name


def test_every_setting_is_documented(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    missing = [env_name(f.name) for f in msgspec.structs.fields(Settings) if f"`{env_name(f.name)}`" not in readme]
    assert missing == []


def test_documented_commands_exist(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name in ("up", "serve", "worker", "relay", "monitor", "migrate", "seed", "area", "audit", "outbox"):
        assert name in main.commands and f"govstat {name}" in readme


def test_quick_start_has_exactly_the_two_commands(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.splitlines() if line.startswith("make ")]
    assert commands == ["make run", "make test"]

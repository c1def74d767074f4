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


def _same(written: str, value: object) -> bool:
    if isinstance(value, bool):
        return written == str(value).lower()
    if isinstance(value, int | float):
        return float(written) == float(value)
    return written == str(value)


def test_documented_defaults_are_the_code_s(root):
    """A default written in the table is the Settings default (GOVSTAT_RELAY_BATCH_SIZE said 500 while
    the code had 2000)."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    defaults = {env_name(f.name): f.default for f in msgspec.structs.fields(Settings)}
    wrong, checked = [], 0
    for line in readme.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) < 3 or not cells[0].startswith("`GOVSTAT_"):
            continue
        names = [n.strip().strip("`") for n in cells[0].split("/")]
        values = [v.split("(")[0].strip() for v in cells[1].split(" / ")]
        if len(names) != len(values) or not all(v.startswith("`") and v.endswith("`") for v in values):
            continue  # "empty", "a dev-only value": said in words
        for name, value in zip(names, values, strict=True):
            default = defaults.get(name, msgspec.NODEFAULT)
            if default is msgspec.NODEFAULT:
                continue
            checked += 1
            if not _same(value.strip("`"), default):
                wrong.append((name, value, default))
    assert checked > 20 and wrong == []

"""The package layout (docs/decisions/0009-govstat-layout.md): govstat/ holds the package's
__init__.py and one relative symlink per top-level folder, so that type checkers and editors
resolve `govstat.*` from the checkout, the import system finds each module under one name, and
the folder platform/ never shadows the standard library's `platform`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PARTS = ("platform", "tenants", "gateway", "ops")


@pytest.mark.parametrize("part", PARTS)
def test_govstat_links_each_folder(root, part):
    link = root / "govstat" / part
    assert link.is_symlink(), f"govstat/{part} must be a symlink to ../{part}"
    assert os.readlink(link) == f"../{part}", "relative, so that it holds in every checkout and image"
    assert link.resolve() == (root / part).resolve()
    assert not (root / part / "__init__.py").exists(), f"{part}/ is a namespace portion of govstat.{part}"


def test_govstat_is_one_regular_package(root):
    entries = {p.name for p in (root / "govstat").iterdir() if p.name != "__pycache__"}
    assert entries == {"__init__.py", *PARTS}, "nothing else belongs in govstat/: code lives in the four folders"
    import govstat

    assert os.path.realpath(govstat.__file__) == str((root / "govstat" / "__init__.py").resolve())


# Imports every module of the four parts (migrations aside: Piccolo loads those by bare name; and
# __main__, which runs the CLI), then
# reports the names each file was imported under and the top-level names the folders could shadow.
_IMPORT_ALL = """
import importlib, json, os, sys
from pathlib import Path

root = Path.cwd()
for part in ("platform", "tenants", "gateway", "ops"):
    for path in sorted((root / part).rglob("*.py")):
        rel = path.relative_to(root)
        if {"piccolo_migrations", "node_modules", "tools", "services"} & set(rel.parts) or path.name == "__main__.py":
            continue
        name = "govstat." + ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        importlib.import_module(name)
parts = tuple(str(root / part) + os.sep for part in ("platform", "tenants", "gateway", "ops"))
names = {}
for name, module in list(sys.modules.items()):
    file = getattr(module, "__file__", None)
    if file and os.path.realpath(file).startswith(parts):
        names.setdefault(os.path.realpath(file), []).append(name)
print(json.dumps({
    "names": names,
    "top": sorted(n for n in ("platform", "tenants", "gateway", "ops") if n in sys.modules),
    "platform": sys.modules["platform"].__file__ if "platform" in sys.modules else None,
}))
"""


def test_every_module_is_imported_under_one_name(root):
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL], cwd=root, capture_output=True, text=True, timeout=180, check=True
    )
    found = json.loads(out.stdout)
    twice = {file: names for file, names in found["names"].items() if len(names) > 1}
    assert not twice, f"a file imported under two names: {twice}"
    assert len(found["names"]) > 200
    assert all(n.startswith("govstat") for names in found["names"].values() for n in names)
    # Only the standard library's platform is loaded as a top-level name; tenants, gateway, ops never.
    assert found["top"] in ([], ["platform"])
    assert found["platform"] is None or "site-packages" not in found["platform"]
    assert found["platform"] is None or not found["platform"].startswith(str(root))


def test_mypy_follows_govstat_imports_through_the_checkout(root):
    """What editors need too: the import names a file of the checkout, found without running the
    import machinery (the editable install's finder is invisible to static tools)."""
    from mypy import api

    source = (
        "import platform\n"
        "from govstat.platform.db.where import Where\n"
        "from govstat.tenants.passwords import hash_password\n"
        "reveal_type(Where)\n"
        "reveal_type(platform.system)\n"
    )
    cwd = os.getcwd()
    os.chdir(root)
    try:
        stdout, stderr, status = api.run(
            ["--config-file=", "--no-incremental", "--follow-imports=silent", "-c", source]
        )
    finally:
        os.chdir(cwd)
    assert status == 0, stdout + stderr
    assert '-> govstat.platform.db.where.Where"' in stdout
    assert 'Revealed type is "def () -> str"' in stdout, "platform is the standard library's"


def test_dockerfile_and_setup_carry_the_package_init(root):
    dockerfile = (root / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY govstat ./govstat" in dockerfile, "setup.py builds govstat/__init__.py into the wheel"
    setup = (root / "setup.py").read_text(encoding="utf-8")
    assert 'package_dir = {"govstat": "govstat"}' in setup

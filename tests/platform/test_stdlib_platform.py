"""The folder platform/ must never shadow the standard library's `platform`."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("where", [".", "tests", "tests/platform"])
def test_stdlib_platform_importable(root, where):
    out = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.system())"],
        cwd=root / where,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "Linux"


def test_govstat_platform_is_the_folder(root):
    import govstat.platform.settings as s

    # through govstat/platform, the symlink to the folder (docs/decisions/0009-govstat-layout.md)
    assert s.__file__ == str(root / "govstat" / "platform" / "settings.py")
    assert os.path.realpath(s.__file__) == str((root / "platform" / "settings.py").resolve())

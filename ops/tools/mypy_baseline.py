"""The mypy baseline: modules not yet clean under `strict`, regenerated from what mypy finds.

    .venv/bin/python ops/tools/mypy_baseline.py           # print the two lists
    .venv/bin/python ops/tools/mypy_baseline.py --write   # and put them into pyproject.toml
    make mypy-baseline                                    # the same as --write

Every module is strict unless it is listed in pyproject.toml between the BEGIN and END markers
below (docs/decisions/0009-govstat-layout.md). Two lists: modules that pass mypy's default checks
but not strict ("relaxed"), and modules that fail even those ("ignored": not checked yet). The lists
only shrink: regenerate after making modules clean, or after a merge that moved code around;
tests/platform/test_mypy_baseline.py holds the count down.

Three mypy runs from the repository root (incremental, a few seconds each once the cache is warm):
all strict, then the strict failures relaxed, then the result, which must pass.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
BEGIN = "# --- BEGIN mypy baseline"
END = "# --- END mypy baseline"
_BLOCK = re.compile(rf"^{re.escape(BEGIN)}.*?^{re.escape(END)}[^\n]*\n", re.M | re.S)
_ERROR = re.compile(r"^(govstat/[\w/]+)\.py:\d+(?::\d+)?: error:", re.M)

# strict's checks off again: mypy's defaults (per-module options only).
RELAXED = """\
disallow_any_generics = false
disallow_subclassing_any = false
disallow_untyped_calls = false
disallow_untyped_defs = false
disallow_incomplete_defs = false
check_untyped_defs = false
disallow_untyped_decorators = false
warn_return_any = false
warn_unused_ignores = false
warn_unreachable = false
implicit_reexport = true
strict_equality = false
extra_checks = false
"""


def block(relaxed: list[str], ignored: list[str]) -> str:
    """The pyproject.toml text between (and with) the markers."""

    def section(modules: list[str], extra: str) -> str:
        if not modules:
            return ""
        names = "".join(f'  "{m}",\n' for m in modules)
        return f"[[tool.mypy.overrides]]\nmodule = [\n{names}]\n{RELAXED}{extra}\n"

    return (
        f"{BEGIN} (ops/tools/mypy_baseline.py writes it: `make mypy-baseline`) ---\n"
        "# Modules not yet clean under strict. The lists only shrink: never add a module by hand (a new\n"
        "# module is strict from its first line); tests/platform/test_mypy_baseline.py holds the count down.\n"
        "# First list: passes mypy's default checks, not yet strict.\n"
        + section(relaxed, "")
        + "# Second list: fails even the default checks, so not checked at all yet.\n"
        + section(ignored, "ignore_errors = true\n")
        + f"{END} ---\n"
    )


def listed(text: str) -> tuple[list[str], list[str]]:
    """The (relaxed, ignored) modules of the baseline in pyproject.toml's text."""
    found = _BLOCK.search(text)
    if found is None:
        raise SystemExit(f"{PYPROJECT}: no mypy baseline block ({BEGIN} ... {END})")
    relaxed: list[str] = []
    ignored: list[str] = []
    for section in found.group(0).split("[[tool.mypy.overrides]]")[1:]:
        modules = re.findall(r'^\s+"([\w.]+)",$', section, re.M)
        (ignored if "ignore_errors = true" in section else relaxed).extend(modules)
    return relaxed, ignored


def failing(config_text: str) -> set[str]:
    """Modules with at least one mypy error under the given pyproject.toml text."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", dir=ROOT, prefix=".mypy-baseline-") as config:
        config.write(config_text)
        config.flush()
        run = subprocess.run(
            [sys.executable, "-m", "mypy", "--config-file", config.name, "--no-pretty", "--no-error-summary"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode not in (0, 1):  # 2: mypy itself failed (a bad config, a crash)
        raise SystemExit(run.stderr or run.stdout)
    return {path.replace("/", ".").removesuffix(".__init__") for path in _ERROR.findall(run.stdout)}


def replaced(text: str, relaxed: list[str], ignored: list[str]) -> str:
    return _BLOCK.sub(lambda _: block(relaxed, ignored), text)


def compute(text: str) -> tuple[list[str], list[str]]:
    not_strict = failing(replaced(text, [], []))
    not_clean = failing(replaced(text, sorted(not_strict), [])) & not_strict
    relaxed, ignored = sorted(not_strict - not_clean), sorted(not_clean)
    left = failing(replaced(text, relaxed, ignored))
    if left:
        raise SystemExit(f"still failing with the new baseline (fix these): {sorted(left)}")
    return relaxed, ignored


def main(argv: list[str]) -> int:
    text = PYPROJECT.read_text(encoding="utf-8")
    relaxed, ignored = compute(text)
    before = listed(text)
    print(f"relaxed (default checks pass, strict not yet): {len(relaxed)}")
    print("".join(f"  {m}\n" for m in relaxed), end="")
    print(f"ignored (fail the default checks): {len(ignored)}")
    print("".join(f"  {m}\n" for m in ignored), end="")
    print(f"baseline: {len(relaxed) + len(ignored)} modules (was {len(before[0]) + len(before[1])})")
    if "--write" in argv:
        PYPROJECT.write_text(replaced(text, relaxed, ignored), encoding="utf-8")
        print(f"written to {PYPROJECT.name}; update BASELINE_CEILING in tests/platform/test_mypy_baseline.py")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""mypy is strict on every module except a baseline that only shrinks (pyproject.toml, written by
ops/tools/mypy_baseline.py; docs/decisions/0009-govstat-layout.md). `make lint` runs mypy itself;
these tests keep the configuration honest."""

from __future__ import annotations

import re
import tomllib

from govstat.ops.tools.mypy_baseline import BEGIN, END, listed

# The number of modules on the baseline. Lower it when modules leave the list (make mypy-baseline);
# never raise it: a new module is strict from its first line.
BASELINE_CEILING = 76

# The platform core is strict now and stays so.
CORE = re.compile(r"govstat\.platform\.(\w+|(db|events|jobs|web|root)(\.\w+)*)$")


def test_strict_everywhere_by_default(root):
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert config["packages"] == ["govstat"]


def test_the_baseline_only_shrinks(root):
    relaxed, ignored = listed((root / "pyproject.toml").read_text(encoding="utf-8"))
    modules = relaxed + ignored
    assert len(modules) == len(set(modules)), "a module listed twice"
    assert len(modules) <= BASELINE_CEILING, (
        f"{len(modules)} modules on the mypy baseline, at most {BASELINE_CEILING}: make the new module strict-clean"
    )
    core = [m for m in modules if CORE.match(m)]
    assert not core, f"the platform core must stay strict: {core}"


def test_baseline_names_modules_that_exist(root):
    relaxed, ignored = listed((root / "pyproject.toml").read_text(encoding="utf-8"))
    for module in relaxed + ignored:
        path = root.joinpath(*module.split("."))
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), (
            f"{module} is gone: take it off the baseline (make mypy-baseline)"
        )


def test_nothing_is_relaxed_outside_the_baseline(root):
    """Only the generated block turns strict's checks off; other overrides may only say that a
    third-party package ships no types."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    outside = text[: text.index(BEGIN)] + text[text.index(END) :]
    for override in tomllib.loads(outside)["tool"]["mypy"].get("overrides", []):
        assert set(override) <= {"module", "ignore_missing_imports"}, override
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        assert not any(m.startswith("govstat") for m in modules), override

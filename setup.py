"""Maps the four top-level folders onto govstat.<part> (see ARCHITECTURE.md).

The folders have no top-level __init__.py, so `platform/` never shadows the
standard library's `platform` module; every sub-package is found here so that
a new subsystem needs no packaging change. `govstat/` holds the package's
`__init__.py` and relative symlinks to the four folders, for tools that follow
files rather than the import machinery (type checkers, editors); the wheel and
the sdist are built from the folders themselves, so the symlinks are never
followed twice (docs/decisions/0009-govstat-layout.md).
"""

from setuptools import find_namespace_packages, setup

PARTS = ("platform", "tenants", "gateway", "ops")

packages = ["govstat"]
package_dir = {"govstat": "govstat"}
for part in PARTS:
    package_dir[f"govstat.{part}"] = part
    packages.append(f"govstat.{part}")
    packages += [
        f"govstat.{part}.{p}"
        for p in find_namespace_packages(
            part,
            exclude=[
                "*__pycache__*",
                "assets",
                "assets.*",
                "services",
                "services.*",
                "tools",
                "tools.*",
                "*node_modules*",
            ],
        )
    ]

setup(packages=packages, package_dir=package_dir, include_package_data=True)

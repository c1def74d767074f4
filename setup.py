"""Maps the four top-level folders onto govstat.<part> (see ARCHITECTURE.md).

The folders have no top-level __init__.py, so `platform/` never shadows the
standard library's `platform` module; every sub-package is found here so that
a new subsystem needs no packaging change.
"""

from setuptools import find_namespace_packages, setup

PARTS = ("platform", "tenants", "gateway", "ops")

packages = []
package_dir = {}
for part in PARTS:
    package_dir[f"govstat.{part}"] = part
    packages.append(f"govstat.{part}")
    packages += [
        f"govstat.{part}.{p}"
        for p in find_namespace_packages(
            part, exclude=["*__pycache__*", "assets", "assets.*", "services", "services.*", "*node_modules*"]
        )
    ]

setup(packages=packages, package_dir=package_dir, include_package_data=True)

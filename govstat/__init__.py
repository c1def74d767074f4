"""govstat: the four top-level folders as one import name (docs/decisions/0009-govstat-layout.md).

platform/, tenants/, gateway/ and ops/ stay where they are; the entries of this
directory are relative symlinks to them, so ``govstat.platform`` is the folder
platform/ for the import system, the editable install, type checkers and editors
alike. The folders themselves have no top-level ``__init__.py``: from the
repository root ``import platform`` is still the standard library's module.
"""

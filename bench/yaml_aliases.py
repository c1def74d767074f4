"""An alias bomb against the statdb parameter-file reader, now or as of a git revision.

    .venv/bin/python -m bench.yaml_aliases            # the current reader
    .venv/bin/python -m bench.yaml_aliases --rev main  # the reader as of a revision (main: before the fix)

Prints the file size, the time load() took, the process's peak RSS and the outcome. LEVELS nested
lists of ten aliases expand to 10**LEVELS values (6: a million)."""

from __future__ import annotations

import argparse
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULE = "platform/subsystems/statdb/yamlnodes.py"


def document(levels: int) -> str:
    return "format: 1\ntable:\n  title: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"  t{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, levels)
    )


def reader(rev: str | None):
    if rev is None:
        from govstat.platform.subsystems.statdb import yamlnodes

        return yamlnodes
    source = subprocess.run(["git", "show", f"{rev}:{MODULE}"], check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "yamlnodes_rev.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("yamlnodes_rev", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", default=None)
    parser.add_argument("--levels", type=int, default=6)
    args = parser.parse_args()
    doc, load = document(args.levels), reader(args.rev).load
    started = time.monotonic()
    try:
        load(doc)
        outcome = "loaded"
    except Exception as exc:
        outcome = f"{type(exc).__name__}: {str(exc)[:70]}"
    print(
        f"{args.rev or 'current'}: {len(doc)} bytes, {args.levels} levels: {time.monotonic() - started:.3f} s,"
        f" peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB, {outcome}"
    )


if __name__ == "__main__":
    sys.exit(main())

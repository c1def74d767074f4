"""Issue 15 §4: nothing kept in a process grows without bound. Every in-process cache has a
size limit: functools caches a maxsize (or no arguments), module-level caches are named here
with what bounds them, and the per-process LocalCache and the usage writer stay bounded."""

import ast
import asyncio
import subprocess
import sys
from pathlib import Path

from govstat.gateway.completions import Completions
from govstat.platform.cache import LocalCache, redis_client
from govstat.platform.events.envelope import UsagePayload, new_event
from govstat.platform.passwords import HASHING_AT_ONCE, MEMORY_KIB

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("platform", "gateway", "ops", "tenants")
# Module-level caches and what bounds them.
KNOWN = {
    ("gateway/plans.py", "_cache"): "one entry per fee plan, replaced whole on each reload",
}


def _functools_cache(node: ast.expr) -> str | None:
    """'cache', 'lru_cache(None)' or 'lru_cache' for a decorator that is one, else None."""
    call = node if isinstance(node, ast.Call) else None
    target = call.func if call else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    if name == "cache":
        return "cache"
    if name == "lru_cache":
        unbounded = call is not None and any(
            isinstance(a, ast.Constant) and a.value is None for a in [*call.args, *(k.value for k in call.keywords)]
        )
        return "lru_cache(None)" if unbounded else "lru_cache"
    return None


def test_every_in_process_cache_has_a_bound():
    problems = []
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/piccolo_migrations/" in rel:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    kinds = [k for k in map(_functools_cache, node.decorator_list) if k]
                    params = node.args.args + node.args.kwonlyargs
                    if "lru_cache(None)" in kinds or ("cache" in kinds and params):
                        problems.append(f"{rel}:{node.lineno} {node.name}: unbounded {kinds[0]}")
            for node in tree.body:
                target = node.target if isinstance(node, ast.AnnAssign) else None
                if target is None and isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                name, value = getattr(target, "id", ""), getattr(node, "value", None)
                empty = (isinstance(value, ast.Dict) and not value.keys) or isinstance(value, ast.Call)  # filled later
                if "cache" in name.lower() and empty and (rel, name) not in KNOWN and not _is_bounded_call(value):
                    problems.append(f"{rel}:{node.lineno} {name}: a module-level cache without a known bound")
    assert problems == []


def _is_bounded_call(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Call) and getattr(value.func, "id", "") == "LocalCache"


def test_the_local_cache_keeps_to_its_size():
    cache = LocalCache(ttl=60, max_entries=100)
    for i in range(1000):
        cache.set(f"k{i}", i)
    assert len(cache._data) <= 100 and cache.get("k999") == 999


async def test_the_usage_writer_holds_nothing_once_settled():
    writer = Completions(redis_client())
    for _ in range(300):  # more than one script call's batch
        writer.add(new_event(UsagePayload(module="area", operation="area.search", principal_kind="public")))
    await writer.settle()
    await asyncio.sleep(0)
    assert writer._batch == [] and writer._inflight == set() and writer._send_at is None


# A fresh interpreter: its RSS before and after forty password hashes, twenty at a time.
HASHES = """
import asyncio
from govstat.platform import passwords

def rss():
    return next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmRSS")) / 1024

async def main():
    before = rss()
    for _ in range(2):
        await asyncio.gather(*(passwords.hash_password("twelve chars") for _ in range(20)))
    print(rss() - before)

asyncio.run(main())
"""


def test_a_crowd_of_password_hashes_keeps_at_most_its_threads_memory():
    """glibc keeps what a thread freed for that thread: argon2 in the default pool (six threads)
    left six hashes' memory in the process for good (114 MiB); its own pool leaves at most two."""
    grown = float(subprocess.run([sys.executable, "-c", HASHES], capture_output=True, text=True, check=True).stdout)
    assert grown < HASHING_AT_ONCE * MEMORY_KIB / 1024 + 12, grown

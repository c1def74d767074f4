import asyncio
import time


async def eventually(check, timeout: float = 60.0, interval: float = 0.25, message: str = "condition"):
    """Await `check()` until it returns a truthy value; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"{message} not reached in {timeout}s (last: {last!r})")

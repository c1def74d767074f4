"""`govstat up` keeps its processes: a child that exits is restarted with backoff, logged and
counted, and the others keep running (it used to stop everything, services included, when the
worker exited in a Redis outage). Ctrl-C still stops all promptly."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.support.services import ROOT


def _supervisor(tmp_path: Path) -> subprocess.Popen:
    flaky = tmp_path / "flaky.py"  # exits 1 after 0.3 s each time it starts, noting each start
    flaky.write_text(
        textwrap.dedent(f"""
        import os, time
        with open({str(tmp_path / "starts")!r}, 'a') as f:
            f.write(str(os.getpid()) + "\\n")
        time.sleep(0.3)
        raise SystemExit(1)
    """)
    )
    steady = [sys.executable, "-c", "import time\nwhile True: time.sleep(1)"]
    script = (
        "import sys\nfrom govstat.platform.root.processes import supervise\n"
        f"sys.exit(supervise({{'flaky': [sys.executable, {str(flaky)!r}], 'steady': {steady!r}}}, max_backoff=2))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_a_child_that_exits_is_restarted_and_the_others_keep_running(tmp_path):
    sup = _supervisor(tmp_path)
    try:
        time.sleep(1.0)
        steady_before = set(_children(sup.pid))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len((tmp_path / "starts").read_text().split()) < 4:
            time.sleep(0.2)
        starts = (tmp_path / "starts").read_text().split()
        assert len(starts) >= 4, starts  # started, then restarted 3+ times
        assert sup.poll() is None  # the supervisor still runs ...
        assert steady_before & set(_children(sup.pid))  # ... and so does the steady child, the same process
        began = time.monotonic()
        os.kill(sup.pid, signal.SIGINT)  # Ctrl-C
        out, _ = sup.communicate(timeout=20)
        assert time.monotonic() - began < 10
    finally:
        if sup.poll() is None:
            os.killpg(sup.pid, signal.SIGKILL)
    assert "flaky" in out and "restart #1" in out and "restarted flaky" in out
    assert "restarted steady" not in out
    assert "govstat: stopped (restarts: " in out and ", flaky " in out
    for pid in steady_before:  # nothing left behind
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]

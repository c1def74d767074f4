"""Real app processes for tests that need them (several processes, kill -9, browsers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.services import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    def __init__(
        self,
        port: int | None = None,
        env: dict | None = None,
        command: str = "serve",
        log: Path | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.port = port or free_port()
        self.env = env or {}
        self.command = command
        self.log = log  # stderr into this file (appended): a long run never fills a pipe
        self.proc: subprocess.Popen | None = None
        self.args = args  # more options for the command, e.g. ("--workers", "2")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> AppProcess:
        args = [sys.executable, "-m", "govstat.platform.root", self.command]
        if self.command == "serve":
            args += ["--port", str(self.port)]
        args += self.args
        stderr = open(self.log, "ab") if self.log else subprocess.PIPE  # noqa: SIM115 (the child holds it)
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env={**os.environ, **self.env}, stdout=subprocess.DEVNULL, stderr=stderr
        )
        if self.log:
            stderr.close()
        if self.command == "serve":
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    text = self.log.read_text()[-2000:] if self.log else self.proc.stderr.read().decode()[-2000:]
                    raise RuntimeError(f"app exited: {text}")
                try:
                    if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                        return self
                except httpx.HTTPError:
                    time.sleep(0.2)
            raise RuntimeError("app did not start")
        return self

    def kill(self) -> None:
        """kill -9: no shutdown hooks, no flushing."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running(*apps: AppProcess):
    try:
        for a in apps:
            a.start()
        yield apps
    finally:
        for a in apps:
            a.stop()

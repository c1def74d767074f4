"""The load generator of bench/online_deadline.py: one process of simulated respondents.

    python bench/online_clients.py MODE BASE SESSIONS.json OUT.json START END [PACE]

Each respondent is (session id, CSRF token, unit id). Every respondent waits for START (time.time())
and then runs one loop on its own connection until END, timing each request. PACE (seconds, default
0: back to back) is a think time before each round (+-50 %, and a random first wait up to PACE): a
respondent who reads and types between page turns, or N respondents submitting at about N/PACE per second.

  submit  POST the unit's answers (`_action=submit`) on the version it last saw; a 200 is a receipt
          (its number is kept, for the bench's lost-answer check); anything else (a refused
          connection while an app process is down, a 409 after an answer that committed without
          its reply arriving) re-reads the form for the latest version and goes on.
  page    a page turn: GET the form page, then POST a draft of the first section (303).
  open    submissions arriving on a fixed schedule (an open loop), one every PACE seconds from START
          (the bench offsets each process's START so that the processes' arrivals interleave),
          each taken by whichever of the process's respondents is free: the offered rate does not
          fall when the app slows, and latency is measured from the scheduled time.

Writes [[kind, started, seconds, status, receipt], ...] to OUT.json. Several of these processes
run at once, so that the load generator is not the bottleneck of a multi-process app.

The load generator shares the app's cores, so its CPU counts against the app's: it speaks HTTP/1.1
itself on one keep-alive connection per respondent (`Http` below: requests built once as bytes, the
body's only varying field appended, the reply read by its Content-Length), on uvloop.
httpx cost 3-4 ms of CPU a submission here (of the app's 6), this about a fifth of that.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
from urllib.parse import urlencode, urlsplit

import uvloop

RECEIPT = re.compile(rb'id="receipt">([^<]+)<')
BASE_VERSION = re.compile(rb'name="_base_version" value="(\d+)"')
TIMEOUT = 30.0
IDLE = 4.0  # seconds a kept-alive connection is reused after its last reply (uvicorn closes it at 5)
ANSWERS = {
    "demo_hh_members": "3",
    "demo_hh_male": "1",
    "demo_hh_female": "2",
    "demo_head_sex": "1",
    "demo_head_works": "1",
    "demo_head_hours": "40",
}
DRAFT = {"demo_hh_members": "3", "demo_hh_male": "1"}  # the first section of the demo questionnaire


class Http:
    """One keep-alive HTTP/1.1 connection of one respondent (its session cookie on every request).
    Raises OSError (or asyncio's IncompleteReadError / TimeoutError) when the connection fails:
    the callers count that as status 0 and the next request connects again."""

    def __init__(self, base: str, sid: str) -> None:
        url = urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.head = f"Host: {url.netloc}\r\nCookie: govstat_session={sid}\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0  # when the connection last answered (time.monotonic())

    def request_bytes(self, method: str, path: str, body: bytes = b"") -> bytes:
        form = b"Content-Type: application/x-www-form-urlencoded\r\n" if method == "POST" else b""
        length = f"Content-Length: {len(body)}\r\n".encode() if method == "POST" else b""
        return f"{method} {path} HTTP/1.1\r\n".encode() + self.head + form + length + b"\r\n" + body

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        try:
            async with asyncio.timeout(TIMEOUT):
                return await self._send(raw)
        except BaseException:
            self.close()
            raise

    async def _send(self, raw: bytes) -> tuple[int, bytes]:
        # the app closes a keep-alive connection idle for 5 s (uvicorn's default): connect again before
        # sending rather than lose a request to a socket the server has closed (httpx does the same)
        if self.reader is not None and (self.reader.at_eof() or time.monotonic() - self.used > IDLE):
            self.close()
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readuntil(b"\r\n")  # no trailers sent by the app
            body = b"".join(parts)
        else:
            body = await self.reader.readexactly(length)
        self.used = time.monotonic()
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Respondent:
    """A respondent's requests, built once: only the base version of a submission changes."""

    def __init__(self, base: str, who: dict) -> None:
        self.http = Http(base, who["sid"])
        path = f"/online/units/{who['unit']}"
        self.get = self.http.request_bytes("GET", path)
        answers = {**ANSWERS, "demo_hh_name": who["name"], "_csrf": who["csrf"], "_action": "submit"}
        self.submit_body = (urlencode(answers) + "&_base_version=").encode()
        self.submit_path = path
        self.draft = self.http.request_bytes(
            "POST", path, urlencode({**DRAFT, "_csrf": who["csrf"], "_action": "draft"}).encode()
        )

    async def version(self) -> int:
        for _ in range(50):  # an app process may be restarting: try again for a while
            try:
                found = BASE_VERSION.search((await self.http.send(self.get))[1])
                if found:
                    return int(found.group(1))
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError):
                pass
            await asyncio.sleep(0.1)
        return 0

    async def submit(self, version: int) -> tuple[int, str]:
        """(status, receipt number or ""); status 0: no connection or no reply."""
        raw = self.http.request_bytes("POST", self.submit_path, self.submit_body + str(version).encode())
        try:
            status, text = await self.http.send(raw)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError):
            return 0, ""
        found = RECEIPT.search(text) if status == 200 else None
        return status, found.group(1).decode() if found else ""


async def respondent(mode: str, base: str, who: dict, start: float, end: float, pace: float, out: list[list]) -> None:
    me = Respondent(base, who)
    version = await me.version() if mode == "submit" else 0
    await asyncio.sleep(max(0.0, start - time.time()) + random.uniform(0, pace))
    while time.time() < end:
        t0 = time.time()
        if pace:
            await asyncio.sleep(max(0.0, min(end, t0 + random.uniform(0.5, 1.5) * pace) - time.time()))
            t0 = time.time()
            if t0 >= end:
                break
        if mode == "page":
            for kind, raw in (("page GET", me.get), ("draft POST", me.draft)):
                started, failure = time.time(), ""
                try:
                    status = (await me.http.send(raw))[0]
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError) as exc:
                    status, failure = 0, type(exc).__name__
                out.append([kind, started, time.time() - started, status, failure])
            continue
        status, receipt = await me.submit(version)
        out.append(["submit", t0, time.time() - t0, status, receipt])
        version = version + 1 if receipt else await me.version()
    me.http.close()


async def open_loop(base: str, people: list[dict], start: float, end: float, every: float, out: list[list]) -> None:
    """Arrivals on a fixed schedule, whatever the app answers (an open loop): one at START, then one
    every EVERY seconds until END. An arrival takes a respondent not busy (waiting for one if all are),
    who submits on the version it last saw; its latency runs from the scheduled time, so time queued
    for a free respondent or connection counts, as a respondent who pressed the button would see it."""
    free: asyncio.Queue[tuple[Respondent, list[int]]] = asyncio.Queue()
    them = [Respondent(base, w) for w in people]
    versions = await asyncio.gather(*(r.version() for r in them))
    for r, v in zip(them, versions, strict=True):
        free.put_nowait((r, [v]))
    if time.time() > start:  # the first arrivals are late already: say so, the latencies include it
        print(f"open loop: respondents ready {time.time() - start:.1f} s after the start", file=sys.stderr)

    async def arrival(due: float) -> None:
        await asyncio.sleep(max(0.0, due - time.time()))
        me, version = await free.get()
        if time.time() > end:  # still queued for a free respondent at the end: offered, never sent
            out.append(["submit", due, time.time() - due, -1, ""])
            free.put_nowait((me, version))
            return
        status, receipt = await me.submit(version[0])
        out.append(["submit", due, time.time() - due, status, receipt])
        version[0] = version[0] + 1 if receipt else await me.version()
        free.put_nowait((me, version))

    n = int((end - start) / every)
    await asyncio.gather(*(arrival(start + k * every) for k in range(n)))
    for r in them:
        r.http.close()


async def main(mode: str, base: str, sessions: str, out_path: str, start: float, end: float, pace: float) -> None:
    with open(sessions) as f:
        people = json.load(f)
    out: list[list] = []
    if mode == "open":  # PACE: seconds between this process's arrivals
        await open_loop(base, people, start, end, pace, out)
    else:
        await asyncio.gather(*(respondent(mode, base, who, start, end, pace, out) for who in people))
    with open(out_path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    mode, base, sessions, out_path, start, end = sys.argv[1:7]
    pace = float(sys.argv[7]) if len(sys.argv) > 7 else 0.0
    uvloop.run(main(mode, base, sessions, out_path, float(start), float(end), pace))

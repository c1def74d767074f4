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
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time

import httpx

RECEIPT = re.compile(r'id="receipt">([^<]+)<')
BASE_VERSION = re.compile(r'name="_base_version" value="(\d+)"')
ANSWERS = {
    "demo_hh_members": "3",
    "demo_hh_male": "1",
    "demo_hh_female": "2",
    "demo_head_sex": "1",
    "demo_head_works": "1",
    "demo_head_hours": "40",
}
DRAFT = {"demo_hh_members": "3", "demo_hh_male": "1"}  # the first section of the demo questionnaire


async def _version(c: httpx.AsyncClient, url: str) -> int:
    for _ in range(50):  # an app process may be restarting: try again for a while
        try:
            found = BASE_VERSION.search((await c.get(url)).text)
            if found:
                return int(found.group(1))
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    return 0


async def respondent(mode: str, base: str, who: dict, start: float, end: float, pace: float, out: list[list]) -> None:
    cookies = {"govstat_session": who["sid"]}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    # plain HTTP: verify=False spares each client loading the CA bundle (seconds of CPU for hundreds)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30, limits=limits, verify=False) as c:
        url = f"/online/units/{who['unit']}"
        version = await _version(c, url) if mode == "submit" else 0
        await asyncio.sleep(max(0.0, start - time.time()) + random.uniform(0, pace))
        while time.time() < end:
            t0 = time.time()
            if pace:
                await asyncio.sleep(max(0.0, min(end, t0 + random.uniform(0.5, 1.5) * pace) - time.time()))
                t0 = time.time()
                if t0 >= end:
                    break
            if mode == "page":
                for kind, call in (
                    ("page GET", c.get(url)),
                    ("draft POST", c.post(url, data={**DRAFT, "_csrf": who["csrf"], "_action": "draft"})),
                ):
                    started, failure = time.time(), ""
                    try:
                        status = (await call).status_code
                    except httpx.HTTPError as exc:
                        status, failure = 0, type(exc).__name__
                    out.append([kind, started, time.time() - started, status, failure])
                continue
            body = {**ANSWERS, "demo_hh_name": who["name"], "_csrf": who["csrf"], "_action": "submit"}
            try:
                r = await c.post(url, data={**body, "_base_version": str(version)})
                status, text = r.status_code, r.text
            except httpx.HTTPError:
                status, text = 0, ""
            found = RECEIPT.search(text) if status == 200 else None
            out.append(["submit", t0, time.time() - t0, status, found.group(1) if found else ""])
            if found:
                version += 1
            else:
                version = await _version(c, url)


async def open_loop(base: str, people: list[dict], start: float, end: float, every: float, out: list[list]) -> None:
    """Arrivals on a fixed schedule, whatever the app answers (an open loop): one at START, then one
    every EVERY seconds until END. An arrival takes a respondent not busy (waiting for one if all are),
    who submits on the version it last saw; its latency runs from the scheduled time, so time queued
    for a free respondent or connection counts, as a respondent who pressed the button would see it."""
    free: asyncio.Queue[tuple[dict, httpx.AsyncClient, list[int]]] = asyncio.Queue()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(base_url=base, cookies={"govstat_session": w["sid"]}, timeout=30, limits=limits, verify=False)
        for w in people
    ]
    versions = await asyncio.gather(
        *(_version(c, f"/online/units/{w['unit']}") for w, c in zip(people, clients, strict=True))
    )
    for who, c, v in zip(people, clients, versions, strict=True):
        free.put_nowait((who, c, [v]))
    if time.time() > start:  # the first arrivals are late already: say so, the latencies include it
        print(f"open loop: respondents ready {time.time() - start:.1f} s after the start", file=sys.stderr)

    async def arrival(due: float) -> None:
        await asyncio.sleep(max(0.0, due - time.time()))
        who, c, version = await free.get()
        if time.time() > end:  # still queued for a free respondent at the end: offered, never sent
            out.append(["submit", due, time.time() - due, -1, ""])
            free.put_nowait((who, c, version))
            return
        url = f"/online/units/{who['unit']}"
        body = {**ANSWERS, "demo_hh_name": who["name"], "_csrf": who["csrf"], "_action": "submit"}
        try:
            r = await c.post(url, data={**body, "_base_version": str(version[0])})
            status, text = r.status_code, r.text
        except httpx.HTTPError:
            status, text = 0, ""
        found = RECEIPT.search(text) if status == 200 else None
        out.append(["submit", due, time.time() - due, status, found.group(1) if found else ""])
        version[0] = version[0] + 1 if found else await _version(c, url)
        free.put_nowait((who, c, version))

    n = int((end - start) / every)
    await asyncio.gather(*(arrival(start + k * every) for k in range(n)))
    for c in clients:
        await c.aclose()


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
    asyncio.run(main(mode, base, sessions, out_path, float(start), float(end), pace))

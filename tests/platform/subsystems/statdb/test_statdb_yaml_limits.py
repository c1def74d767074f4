"""Hardening (issue 8): parameter files cannot make the server expand YAML aliases.

Before the fix a 300-byte file of nested aliases built a million values (billion laughs) and a
self-referencing alias recursed until the request answered 500."""

import time

from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart, small_csv, small_params
from tests.support.factories import api_key

# six levels of ten: a million values once expanded (more would exhaust the old code's memory)
LAUGHS = b"format: 1\ntable:\n  title: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
    f"  t{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n".encode() for n in range(1, 6)
)
SELF = b"format: 1\ntable: &t\n  gov_stat_code: '00200521'\n  title: [*t]\n"


async def _register(client, params: bytes):
    owner = await agency()
    files, form = multipart([(params, small_csv(), "d.csv")])
    return await client.post(
        "/api/statdb/tables", files=files, data=form, headers={"x-api-key": await api_key(owner.id)}
    )


async def test_billion_laughs_is_refused_at_once_naming_line_and_field(client):
    assert len(LAUGHS) < 1000
    before = await counts()
    started = time.monotonic()
    r = await _register(client, LAUGHS)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert time.monotonic() - started < 5
    error = r.json()["errors"][0]
    assert error["field"] == "line 4: table.t1[0]" and "*l0" in error["message"]
    assert await counts() == before


async def test_a_self_referencing_alias_is_a_422_not_a_500(client):
    r = await _register(client, SELF)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "line 4: table.title[0]"


async def test_an_alias_anywhere_is_refused_and_the_file_size_is_capped(client):
    from govstat.platform.subsystems.statdb.yamlnodes import MAX_BYTES

    aliased = small_params(1).replace(b'      - {code: "002"', b'      - &two {code: "002"') + b"extra: *two\n"
    r = await _register(client, aliased)
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith(": extra")
    big = small_params(2) + b"# " + b"x" * MAX_BYTES + b"\n"
    r = await _register(client, big)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "line 1: (file)"
    assert "MiB" in r.json()["errors"][0]["message"]
    # the ordinary file still registers
    assert (await _register(client, small_params(3))).status_code == 201


def test_the_node_count_is_capped(monkeypatch):
    from govstat.platform.subsystems.statdb import yamlnodes
    from govstat.platform.subsystems.statdb.params import parse
    from govstat.platform.subsystems.statdb.problems import Problems

    monkeypatch.setattr(yamlnodes, "MAX_NODES", 50)
    p = Problems()
    assert parse(b"format: 1\ntable:\n  title: [" + b", ".join([b"x"] * 60) + b"]\n", p) is None
    assert p.errors[0].field == "line 3: (file)" and "50" in p.errors[0].message

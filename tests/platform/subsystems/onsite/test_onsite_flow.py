"""ONSITE-1 through the API on the real services: a dataset loaded with line-and-field errors
first, encrypted at rest; nothing without a live grant; sessions bound to the facility; tables
checked before they are shown; a differencing attack refused; manual review; retention."""

import datetime as dt
import json
import random
import uuid

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.onsite import checking, datasets
from tests.platform.subsystems.onsite import onsite_support as s
from tests.support.factories import audit_events, outbox_mark


def microdata() -> bytes:
    """Two municipalities, men and women; 29201 has 3 people aged 90+ (the differencing target)."""
    rng = random.Random(7)
    rows = []
    for muni, n in (("29201", 160), ("29202", 140)):
        for i in range(n):
            rows.append((muni, "1" if i % 2 else "2", "20-64", float(rng.randint(100, 900))))
    rows += [("29201", "2", "90+", 80.0)] * 3 + [("29202", "1", "90+", 90.0)] * 12
    return s.rows_csv(rows)


@pytest.fixture(scope="module")
async def base(app):
    """One agency, facility, researcher and loaded dataset for the module (password hashing is slow)."""
    tenant, headers = await s.agency()
    facility_id, credential = await s.facility()
    who = await s.researcher()
    async with s.client_at(app, s.INSIDE) as c:
        d = await s.dataset(c, headers, microdata())
    return {
        "tenant": tenant,
        "headers": headers,
        "facility": facility_id,
        "credential": credential,
        "who": who,
        "dataset": d,
    }


@pytest.fixture
async def world(base):
    """A fresh live grant for each test (it may expire it)."""
    grant = await s.live_grant(base["tenant"].id, base["who"], base["dataset"]["id"], base["facility"])
    return {**base, "grant": grant}


async def test_upload_names_line_and_field_and_the_data_rests_encrypted(app, base):
    headers = base["headers"]
    async with s.client_at(app, s.INSIDE) as c:
        r = await c.post(
            "/api/onsite/datasets",
            headers=headers,
            json={
                "survey_name": "誤りのある調査",
                "year": 2020,
                "title": "t",
                "variables": s.VARIABLES,
                "retention_until": str(dt.date.today() + dt.timedelta(days=9)),
            },
        )
        bad = b"municipality,sex,age_group,income\n29201,1,20-64,100\n29201,3,20-64,abc\n"
        r = await c.post(
            f"/api/onsite/datasets/{r.json()['id']}/file", headers=headers, files={"file": ("d.csv", bad, "text/csv")}
        )
        assert r.status_code == 422
        fields = {e["field"] for e in r.json()["errors"]}
        assert fields == {"line 3, sex", "line 3, income"}
    d = base["dataset"]
    async with UnitOfWork(Scope.system()) as uow:
        rec = await uow.fetchrow("SELECT ciphertext FROM onsite_dataset_blob WHERE dataset_id = $1", uuid.UUID(d["id"]))
        assert b"29201" not in bytes(rec["ciphertext"]) and b"PAR1" not in bytes(rec["ciphertext"])
        table = await datasets.content(uow, uuid.UUID(d["id"]))
    assert table.num_rows == 315


async def test_nothing_without_a_live_grant_and_a_facility(app, world):
    w = world
    async with s.client_at(app, s.OUTSIDE) as c:
        csrf = await s.sign_in(c, w["who"].login)
        r = await c.post(
            "/api/onsite/visits",
            json={"grant_id": w["grant"]},
            headers={"x-csrf-token": csrf, "x-onsite-device": w["credential"]},
        )
        assert r.status_code == 403 and r.json()["reason"] == "outside_facility"
    async with s.client_at(app, s.INSIDE) as c:
        csrf = await s.sign_in(c, w["who"].login)
        r = await c.post("/api/onsite/visits", json={"grant_id": w["grant"]}, headers={"x-csrf-token": csrf})
        assert r.status_code == 403 and r.json()["reason"] == "device"
    denied = await audit_events(prefix="onsite.session.refused")
    mine = [e for e in denied if e.detail["owner_tenant"] == str(w["tenant"].id)]
    assert {e.detail["reason"] for e in mine} == {"outside_facility", "device"}
    # a researcher without a grant does not even read the encrypted blob (row-level security)
    other = await s.researcher()
    async with UnitOfWork(Scope(role="onsite", actor=str(other.id))) as uow:
        assert await uow.fetchval("SELECT count(*) FROM onsite_dataset_blob") == 0


async def test_a_session_moved_outside_or_past_its_grant_is_refused_midway(app, world):
    w = world
    async with s.client_at(app, s.INSIDE) as c:
        visit, headers = await s.session(c, w["who"], w["grant"], w["credential"])
        body = {"dataset_id": w["dataset"]["id"], "group_by": ["municipality"]}
        r = await c.post(f"/api/onsite/visits/{visit}/tables", headers=headers, json=body)
        assert r.status_code == 200 and r.json()["verdict"] == "released"
        # a session left idle ends: the next request is refused and another must be opened
        idle, idle_headers = await s.session(c, w["who"], w["grant"], w["credential"])
        async with UnitOfWork(Scope.system()) as uow:
            await uow.execute(
                "UPDATE onsite_visit SET last_seen_at = now() - interval '16 minutes' WHERE id = $1::uuid", idle
            )
        r = await c.post(f"/api/onsite/visits/{idle}/tables", headers=idle_headers, json=body)
        assert r.status_code == 403 and r.json()["reason"] == "idle_timeout"
        headers = idle_headers  # signing in again renewed the client's gateway session and CSRF token
        async with UnitOfWork(Scope.system()) as uow:  # the expiry comes during the session (earlier tests' too)
            await uow.execute(
                "UPDATE onsite_grant SET expires_at = now() - interval '1 second' WHERE researcher_id = $1",
                w["who"].id,
            )
        r = await c.post(f"/api/onsite/visits/{visit}/tables", headers=headers, json=body)
        assert r.status_code == 403 and r.json()["reason"] == "grant_not_live"
        r = await c.get(f"/api/onsite/visits/{visit}/outputs", headers=headers)
    async with UnitOfWork(Scope.system()) as uow:
        closed = await uow.fetchrow("SELECT closed_at, close_reason FROM onsite_visit WHERE id = $1::uuid", visit)
        blob = await uow.fetchval(
            "SELECT count(*) FROM onsite_dataset_blob WHERE dataset_id = $1::uuid", w["dataset"]["id"]
        )
    assert closed["close_reason"] == "grant_not_live" and blob == 1
    async with UnitOfWork(Scope(role="onsite", actor=str(w["who"].id))) as uow:  # and the database agrees
        assert await uow.fetchval("SELECT count(*) FROM onsite_dataset_blob") == 0


async def test_small_cells_are_suppressed_with_their_complement_and_audited(app, world):
    w = world
    mark = await outbox_mark()
    async with s.client_at(app, s.INSIDE) as c:
        visit, headers = await s.session(c, w["who"], w["grant"], w["credential"])
        r = await c.post(
            f"/api/onsite/visits/{visit}/tables",
            headers=headers,
            json={"dataset_id": w["dataset"]["id"], "group_by": ["municipality", "age_group"]},
        )
    out = r.json()
    cells = {tuple(c["key"]): c for c in out["cells"]}
    assert cells[("29201", "90+")]["status"] == "threshold" and cells[("29201", "90+")]["value"] is None
    assert cells[("29201", "20-64")]["status"] == "secondary"  # else 29201's total gives the 3 away
    assert sum(1 for c in out["cells"] if c["status"] == "secondary") >= 3
    assert cells[(None, None)]["value"] == 315
    async with UnitOfWork(Scope.system()) as uow:
        evidence = await uow.fetchval("SELECT evidence FROM onsite_output WHERE id = $1::uuid", out["id"])
    statuses, failures = checking.recheck(json.loads(evidence))
    assert [c["status"] for c in out["cells"]] == statuses and failures == []
    checked = await audit_events(mark, prefix="onsite.output.checked")
    assert checked and checked[0].detail["verdict"] == "released"


async def test_a_differencing_attack_across_two_queries_is_refused_and_reviewed(app, world):
    w = world
    async with s.client_at(app, s.INSIDE) as c:
        visit, headers = await s.session(c, w["who"], w["grant"], w["credential"])
        url, d = f"/api/onsite/visits/{visit}/tables", w["dataset"]["id"]
        first = await c.post(url, headers=headers, json={"dataset_id": d, "group_by": ["municipality"]})
        assert first.json()["verdict"] == "released"
        # everyone but the 90+: 29201's difference with the first table is 3 people
        second = await c.post(
            url,
            headers=headers,
            json={
                "dataset_id": d,
                "group_by": ["municipality"],
                "filters": [{"variable": "age_group", "op": "ne", "value": "90+"}],
            },
        )
        out = second.json()
        assert out["verdict"] == "refused" and all(cell["value"] is None for cell in out["cells"])
        r = await c.post(
            f"/api/onsite/outputs/{out['id']}/review-request", headers=headers, json={"reason": "研究上必要です"}
        )
        assert r.json()["verdict"] == "review_requested"
    queue = await c.get("/api/onsite/reviews", headers=w["headers"]) if False else None
    async with s.client_at(app, s.INSIDE) as agency:
        r = await agency.get("/api/onsite/reviews", headers=w["headers"])
        assert [o["id"] for o in r.json()] == [out["id"]]
        ev = await agency.get(f"/api/onsite/outputs/{out['id']}/evidence", headers=w["headers"])
        assert ev.json()["evidence"]["differencing"][0]["units"] == 3
        r = await agency.post(
            f"/api/onsite/outputs/{out['id']}/review",
            headers=w["headers"],
            json={"release": False, "note": "差分で特定"},
        )
        assert r.json()["verdict"] == "review_refused" and queue is None


async def test_retention_purges_the_data_and_its_key(app, base):
    async with s.client_at(app, s.INSIDE) as c:
        d = await s.dataset(c, base["headers"], microdata())
    w = {"dataset": d}
    async with UnitOfWork(Scope.system()) as uow:
        await uow.execute(
            "UPDATE onsite_dataset SET retention_until = current_date - 1 WHERE id = $1::uuid", w["dataset"]["id"]
        )
        purged = await datasets.purge_expired(uow)
        row = await uow.fetchrow(
            "SELECT status, wrapped_key FROM onsite_dataset WHERE id = $1::uuid", w["dataset"]["id"]
        )
        blobs = await uow.fetchval(
            "SELECT count(*) FROM onsite_dataset_blob WHERE dataset_id = $1::uuid", w["dataset"]["id"]
        )
    assert (
        str(purged[0]) == w["dataset"]["id"] and row["status"] == "purged" and row["wrapped_key"] is None and blobs == 0
    )

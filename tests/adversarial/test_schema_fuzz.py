"""Schema fuzzing (schemathesis) of a real app process: every operation of /schema/openapi.json,
called anonymously and as an agency admin (session cookie and CSRF header), with valid and
invalid inputs and the real ids of the walker's factories; no answer may be a 5xx.

FUZZ_EXAMPLES sets the examples per operation and mode (default 12; the run is
derandomized, so the same number gives the same cases)."""

import pytest

from tests.support import fuzz
from tests.support.world import make_world

# Each test makes a few thousand requests (about 1-2 minutes at the default 12 examples on a loaded
# 2-core machine); the suite's 300 s per test would cut a deeper run (FUZZ_EXAMPLES=40) short.
pytestmark = pytest.mark.timeout(1800)


@pytest.fixture(scope="module")
async def fuzz_setup(app, server):
    world = await make_world(app)
    schema = fuzz.load(server.url)
    real = {}
    for result in schema.get_all_operations():
        op = result.ok()
        real[(op.method.upper(), op.path)] = await fuzz.real_path_parameters(op.path, world)
    return world, schema, real


def _report(report: fuzz.FuzzReport, label: str, least: int = 100) -> None:
    print(
        f"\nschema fuzz ({label}): {report.operations} operations, {report.cases} cases, "
        f"statuses {dict(sorted(report.statuses.items()))}, "
        f"{len(report.failures)} with a 5xx; known, filtered: {sorted(report.known)}"
    )
    assert report.operations > least or fuzz.ONLY
    assert report.failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in report.failures.items())


def test_no_operation_answers_5xx_to_anonymous_callers(fuzz_setup, server):
    _, schema, real = fuzz_setup
    _report(fuzz.run(schema, fuzz.session_from("127.0.0.2"), real, "anonymous"), "anonymous")


def test_no_operation_answers_5xx_to_an_agency_admin(fuzz_setup, server):
    world, schema, real = fuzz_setup
    session = fuzz.session_from("127.0.0.3")
    r = session.post(
        f"{server.url}/auth/login", json={"login": world.a.admin_login, "password": "correct-horse-battery-staple"}
    )
    assert r.status_code == 200, r.text
    session.headers["X-CSRF-Token"] = r.json()["csrf"]
    report = fuzz.run(schema, session, real, "agency admin")
    _report(report, "agency admin")
    # signed in all along: the admin's calls reached the routes (401 only where a route wants another kind of user)
    assert report.statuses[401] < 0.1 * report.cases, dict(report.statuses)


def test_no_operation_answers_5xx_to_a_registered_public_user(fuzz_setup, server):
    """My page and the e-Stat portal's own API, as a registered general user (public role)."""
    world, schema, real = fuzz_setup
    session = fuzz.session_from("127.0.0.4")
    login = f"fuzz{world.marker[-8:].lower()}"
    r = session.post(
        f"{server.url}/api/account/register",
        json={
            "login": login,
            "display_name": "一般 利用者",
            "email": f"{login}@example.com",
            "password": "fuzz-public-pass-2026",
        },
    )
    assert r.status_code == 201, r.text
    r = session.post(f"{server.url}/auth/login", json={"login": login, "password": "fuzz-public-pass-2026"})
    assert r.status_code == 200, r.text
    session.headers["X-CSRF-Token"] = r.json()["csrf"]
    report = fuzz.run(schema, session, real, "public user", only=r"^/api/(account/|estat/|me$)")
    _report(report, "public user", least=10)

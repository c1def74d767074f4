"""PLAT-1, adversarially: every route with a path parameter, called by tenant B's admin, B's staff, B's API key
and a registered public user with the ids of tenant A's unpublished and private objects, neither
shows nor changes anything of A's. A new route is walked without a new test; a route whose
parameter the walker cannot fill fails here until tests/support/walker_registry.py knows it."""

import pytest

from tests.support import walker, walker_registry
from tests.support.world import attackers, make_world


@pytest.fixture(scope="module")
async def walked(app):
    world = await make_world(app)
    callers = await attackers(app, world)
    try:
        report = await walker.walk(app, world, callers)
        lists = await walker.walk_lists(app, world, callers)
    finally:
        for c in callers:
            await c.client.aclose()
    print(f"\ncross-tenant walk: {report.routes} routes, {report.calls} calls, statuses {dict(report.statuses)}")
    print(f"lists and pages: {lists.routes} routes, {lists.calls} calls, statuses {dict(lists.statuses)}")
    world.extra["lists"] = lists
    return world, report


def test_every_route_parameter_has_a_factory(walked):
    _, report = walked
    assert report.missing == []


def test_tenant_b_never_sees_or_changes_tenant_as_objects(walked):
    _, report = walked
    assert report.routes > 100
    assert report.findings == [], "\n".join(report.findings)


def test_tenant_b_finds_nothing_of_tenant_as_in_lists_and_pages(walked):
    world, _ = walked
    lists = world.extra["lists"]
    assert lists.routes > 50
    assert lists.findings == [], "\n".join(lists.findings)


def test_the_walk_reached_the_handlers(walked):
    """Bodies come from the OpenAPI document: most of B's calls get past validation to the lookup,
    whose answer for another tenant's id is 404 (or the gateway's 403 for a role the route refuses)."""
    _, report = walked
    reached = report.statuses[404] + report.statuses[403]
    assert reached > 0.8 * report.calls, dict(report.statuses)


def test_an_unknown_parameter_names_the_route():
    with pytest.raises(walker_registry.MissingFactory, match=r"add a factory for \{gadget_id\} of /api/x/\{gadget_id"):
        walker_registry.rule("/api/x/{gadget_id:uuid}", "gadget_id")


async def test_the_detector_sees_what_the_owner_sees(walked, app):
    """Control: walked by A's own admin (reads only), the same checks find A's objects, so a
    route that leaked them to B would be caught, and the factories' objects are the ones routes name."""
    from tests.support.factories import another_client, sign_in
    from tests.support.world import Caller

    world, _ = walked
    async with another_client(app) as c:
        owner = Caller("owner admin", c, await sign_in(c, world.a.admin_login))
        report = await walker.walk(app, world, [owner], methods=("GET",))
    seen = {kind for kind, value in world.owned.items() for f in report.findings if value in f}
    assert {"tenant", "file", "stat_table", "record", "ticket", "agency_request", "invoice", "plan_response"} <= seen, (
        report.findings
    )
    assert any(world.marker in f or "marker" in f for f in report.findings)


async def test_a_change_to_tenant_as_rows_is_seen(walked, app):
    """Control: the snapshot notices a change the owner makes, and names the table."""
    from tests.support import tenant_snapshot
    from tests.support.factories import another_client

    world, _ = walked
    before_print = await tenant_snapshot.fingerprint(world.a.id, world.a_public_user)
    before = await tenant_snapshot.snapshot(world.a.id, world.a_public_user)
    async with another_client(app) as c:
        r = await c.patch(
            f"/api/tables/classes/{world.owned['class']}",
            headers={"x-api-key": world.extra["a_api_key"]},
            json={"name_ja": f"改名 {world.marker}"},
        )
        assert r.status_code == 200, r.text
    assert await tenant_snapshot.fingerprint(world.a.id, world.a_public_user) != before_print
    after = await tenant_snapshot.snapshot(world.a.id, world.a_public_user)
    assert "provision_class" in tenant_snapshot.diff(before, after)

"""Typed domain events (decisions/0008): one tagged union of every module's events; the shape before
them still decodes; an unknown or malformed event goes to dead_letter and the consumer flows on."""

import asyncio
import datetime as dt
import uuid

import msgspec
import pytest

from govstat.ops.helpdesk.events import OutOfHoursCharged
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.domain import DomainEvent, domain_union
from govstat.platform.events.envelope import decode, encode, make_decoder, new_event
from govstat.platform.events.kafka import make_producer
from govstat.platform.events.topics import ensure_topics
from govstat.platform.root.events import event_decoder
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.area.events import ChangeRegistered, ChangeUpdated
from govstat.platform.subsystems.tables.events import FilePublished
from tests.support.eventually import eventually

SYSTEM = Scope.system("test")


def _old_shape(name: str, data: dict, tenant_id: uuid.UUID | None = None) -> bytes:
    """A message as platform/events/audit.py's domain_event wrote it before typed events."""
    payload = {"kind": "domain", "name": name, "module": name.split(".")[0], "data": data}
    envelope = {"id": str(uuid.uuid4()), "payload": payload, "occurred_at": "2026-10-11T00:00:00Z"}
    if tenant_id:
        envelope["tenant_id"] = str(tenant_id)
    return msgspec.json.encode(envelope)


def test_an_old_shape_message_decodes_into_the_typed_event():
    change_id, tenant, file_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    area = event_decoder().decode(
        _old_shape(
            "area.change_registered",
            {
                "change_id": str(change_id),
                "code": "13101",
                "effective_on": "2026-04-01",
                "ends": ["13101"],
                "starts": [],
            },
        )
    )
    assert area.payload == ChangeRegistered(
        change_id=change_id, code="13101", effective_on=dt.date(2026, 4, 1), ends=["13101"]
    )
    assert area.kind == "domain" and area.topic_suffix == "domain" and area.tenant_id is None
    charge = event_decoder().decode(
        _old_shape(
            "helpdesk.out_of_hours_charged",
            {"amount_yen": 6000, "description": "日曜日の電話対応", "source_ref": "HD-1", "occurred_on": "2026-10-11"},
            tenant,
        )
    )
    assert charge.tenant_id == tenant and isinstance(charge.payload, OutOfHoursCharged)
    assert (charge.payload.amount_yen, charge.payload.occurred_on) == (6000, dt.date(2026, 10, 11))
    published = (
        event_decoder()
        .decode(
            _old_shape(
                "tables.file_published",
                {
                    "file_id": str(file_id),
                    "title": "人口",
                    "gov_stat_code": "00200521",
                    "table_no": "1",
                    "publish_at": "2026-10-11T08:30:00+09:00",
                    "stats_data_id": None,
                },
            )
        )
        .payload
    )
    assert isinstance(published, FilePublished) and published.file_id == file_id and published.stats_data_id is None
    assert published.publish_at == dt.datetime(2026, 10, 10, 23, 30, tzinfo=dt.UTC)


def test_a_domain_event_is_its_own_tag_on_the_wire_and_round_trips():
    event = new_event(ChangeUpdated(change_id=uuid.uuid4(), fields=["reason"]))
    wire = encode(event)
    assert b'"kind":"area.change_updated"' in wire and b'"name"' not in wire
    assert event_decoder().decode(wire) == event


def test_unknown_and_malformed_events_are_refused_by_the_decoder():
    good = encode(new_event(ChangeUpdated(change_id=uuid.uuid4())))
    refused = [
        good.replace(b"area.change_updated", b"area.change_reverted"),  # a tag no module declares
        good.replace(b'"change_id":"', b'"change_id":"x'),  # a field of the wrong type
        _old_shape("helpdesk.ticket_closed", {}),  # an old-shape name no module declares
        _old_shape("helpdesk.out_of_hours_charged", {"amount_yen": -5}),  # old shape, fields missing
    ]
    for wire in refused:
        with pytest.raises(msgspec.ValidationError):
            event_decoder().decode(wire)
    with pytest.raises(msgspec.ValidationError):
        decode(good)  # the platform's decoder knows no module's events: only the root's does


def test_the_union_refuses_a_base_or_a_name_declared_twice():
    class Twin(DomainEvent, tag="area.change_updated"):
        change_id: uuid.UUID

    with pytest.raises(TypeError, match="declared twice"):
        make_decoder([ChangeUpdated, Twin])
    with pytest.raises(TypeError, match="tag="):
        domain_union([DomainEvent])


class Follower(Consumer):
    """A consumer of the domain topic that dispatches by type."""

    name = "test-typed-events"
    topic_suffixes = ("domain",)

    def __init__(self) -> None:
        super().__init__()
        self.updated: list[ChangeUpdated] = []

    async def handle(self, uow, event) -> None:
        match event.payload:
            case ChangeUpdated() as change:
                self.updated.append(change)


async def test_a_domain_consumer_needs_the_roots_decoder():
    with pytest.raises(ValueError, match="decoder"):
        await Follower().run(get_settings(), asyncio.Event())


async def _dead(event_id: uuid.UUID):
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchrow(
            "SELECT * FROM dead_letter WHERE consumer = $1 AND event_id = $2", Follower.name, event_id
        )


async def test_unknown_and_malformed_events_go_to_dead_letter_and_the_consumer_flows_on():
    """Through the real broker: four messages nobody can read, each between readable ones, on one partition."""
    settings = get_settings()
    await ensure_topics(settings)
    marker = uuid.uuid4().hex[:8]
    good = [new_event(ChangeUpdated(change_id=uuid.uuid4(), fields=[f"{marker}-{i}"])) for i in range(3)]
    unknown = new_event(ChangeUpdated(change_id=uuid.uuid4(), fields=[marker]))
    malformed = new_event(ChangeUpdated(change_id=uuid.uuid4(), fields=[marker]))
    bad = {
        unknown.id: encode(unknown).replace(b"area.change_updated", b"area.change_reverted"),
        malformed.id: encode(malformed).replace(b'"fields":["', b'"fields":[1,"'),
    }
    old_unknown, old_malformed = _old_shape("helpdesk.ticket_closed", {}), _old_shape("area.change_deleted", {})
    for wire in (old_unknown, old_malformed):
        bad[uuid.UUID(msgspec.json.decode(wire)["id"])] = wire
    messages = [encode(good[0]), *list(bad.values())[:2], encode(good[1]), *list(bad.values())[2:], encode(good[2])]
    producer = make_producer(settings)
    await producer.start()
    try:
        for wire in messages:
            await producer.send_and_wait(settings.kafka_topic_prefix + "domain", wire, key=marker.encode())
    finally:
        await producer.stop()

    follower, stop = Follower(), asyncio.Event()
    task = asyncio.create_task(follower.run(settings, stop, event_decoder()))
    try:

        async def all_good():
            seen = [c.fields[0] for c in follower.updated if c.fields and c.fields[0].startswith(f"{marker}-")]
            return seen if len(seen) == 3 else None

        assert await eventually(all_good, timeout=60, message="the readable events") == [
            f"{marker}-{i}" for i in range(3)
        ]
        for event_id, wire in bad.items():
            row = await eventually(lambda event_id=event_id: _dead(event_id), timeout=30, message="dead letter")
            assert bytes(row["payload"]) == wire and row["topic"] == settings.kafka_topic_prefix + "domain"
            assert row["error"].startswith("ValidationError:") and row["attempts"] == 1
        assert not task.done()  # still consuming
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)
    async with UnitOfWork(SYSTEM) as uow:  # set aside, not marked processed
        marked = await uow.fetchval(
            "SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = ANY($2)", Follower.name, list(bad)
        )
    assert marked == 0

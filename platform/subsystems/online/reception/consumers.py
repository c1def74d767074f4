"""The reception read model (ONLINE-3): first submissions and updates per survey, area and channel,
counted from the `online.submitted` events as they arrive from Kafka (`govstat monitor`), exactly
once per event (the consumer base's marker). The dashboard joins them with the units per area."""

from __future__ import annotations

from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope
from govstat.platform.subsystems.online.events import AnswersSubmitted


class ReceptionConsumer(Consumer):
    name = "online-reception"
    topic_suffixes = ("domain",)

    async def handle(self, uow: UnitOfWork, event: Envelope[Any]) -> None:
        match event.payload:
            case AnswersSubmitted() as e:
                first = 1 if e.version_no == 1 else 0
                # the survey's agency (an intermediary's paper entry comes under the intermediary's tenant)
                await uow.execute(
                    "INSERT INTO online_reception (tenant_id, survey_id, area_code, channel, first_submissions, updates,"
                    " last_at) SELECT s.tenant_id, s.id, $2, $3, $4, $5, $6 FROM online_survey s WHERE s.id = $1"
                    " ON CONFLICT (survey_id, area_code, channel) DO UPDATE"
                    " SET first_submissions = online_reception.first_submissions + EXCLUDED.first_submissions,"
                    " updates = online_reception.updates + EXCLUDED.updates,"
                    " last_at = greatest(online_reception.last_at, EXCLUDED.last_at)",
                    e.survey_id,
                    e.area_code,
                    e.channel,
                    first,
                    1 - first,
                    event.occurred_at,
                )

"""The domain events of the regional statistics: what other parts may follow. The catalogue is
platform-wide reference data, so its events carry no tenant."""

from __future__ import annotations

from govstat.platform.events.domain import DomainEvent


class IndicatorDefined(DomainEvent, tag="region.indicator_defined"):
    """The operator changed an item's 項目定義 (names, definition, unit)."""

    code: str
    fields: list[str] = []


EVENTS = (IndicatorDefined,)

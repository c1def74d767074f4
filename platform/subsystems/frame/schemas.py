"""What the frame API takes: a population filter, planned surveys, applications, draws, edits."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

Prefix = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,5}$")]
Employees = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
DesignName = Literal["srs", "poisson", "sequential_poisson", "pareto"]


class Population(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A target population: JSIC Rev.14 code prefixes (2: 中分類 .. 4: 細分類), area code prefixes
    (2: a prefecture, 5: a municipality), a range of employees; empty lists mean every one."""

    industries: Annotated[list[Prefix], msgspec.Meta(max_length=200)] = []
    areas: Annotated[list[Prefix], msgspec.Meta(max_length=200)] = []
    min_employees: Employees = 0
    max_employees: Employees | None = None


class SurveyIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    period_from: dt.date
    period_to: dt.date
    population: Population
    sample_size: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
    # coordination: the survey's start point on the PRN circle and its direction (docs/frame.md)
    start_point: Annotated[float, msgspec.Meta(ge=0.0, lt=1.0)] = 0.0
    direction: Literal[1, -1] = 1


class ApplicationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    survey_id: uuid.UUID
    purpose: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    reference_date: dt.date
    draw_sample: bool = True
    design: DesignName = "sequential_poisson"


class ReviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["approve", "return", "reject"]
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class BurdenRule(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """No small unit (fewer than `small_below` employees) in more than `cap` surveys in `years`."""

    small_below: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 20
    cap: Annotated[int, msgspec.Meta(ge=1, le=100)] = 2
    years: Annotated[int, msgspec.Meta(ge=1, le=10)] = 3


class DrawIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    test: bool = False  # a test draw: stored and redrawable, never counted as burden
    burden: BurdenRule = BurdenRule()
    cycle: Annotated[str, msgspec.Meta(max_length=40)] = ""


class SurveyDrawIn(DrawIn, kw_only=True, forbid_unknown_fields=True):
    reference_date: dt.date
    design: DesignName = "sequential_poisson"


class EditIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The operator's manual edit of an establishment: the fields given change, from `effective_on`."""

    effective_on: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    area_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")] | None = None
    postal_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{7}$")] | None = None
    address: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    jsic14: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}$")] | None = None
    employees: Employees | None = None
    status: Literal["active", "dormant", "closed"] | None = None


class MergeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Establishments that become one from `effective_on` (合併): the rules choose who continues."""

    effective_on: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    units: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=10**15)]], msgspec.Meta(min_length=2, max_length=50)]


class PartIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A part that leaves the unit as an establishment of its own; where not given, as the unit."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    employees: Employees
    area_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")] | None = None
    postal_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{7}$")] | None = None
    address: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    jsic14: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}$")] | None = None


class SplitIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An establishment divides from `effective_on` (分割): it continues at its location with
    `employees`; each of `parts` is born."""

    effective_on: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    employees: Employees
    parts: Annotated[list[PartIn], msgspec.Meta(min_length=1, max_length=20)]


class Reshaped(msgspec.Struct, kw_only=True):
    """What a merger or split did: the unit that continues (its PRN unchanged), the units ended and
    the units born with their new PRNs."""

    continues: int
    prn: float
    ended: list[int] = []
    born: dict[str, float] = {}  # new unit id (as text) -> its new PRN

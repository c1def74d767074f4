"""Which value each path parameter of a route takes in the adversarial walk and the schema fuzz.

A parameter is either `owned`: it names one of tenant A's objects (made by the factories of
tests/support/world_*.py), which another tenant must neither see nor change; or `shared`: it names
something that belongs to no tenant (reference data, the operator's own records, a format), with
the reason why. Rules are looked up by (route prefix, parameter) first, then by parameter alone.
A route whose parameter has no rule fails the suite: a new route is walked from the day it exists.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope


@dataclass(frozen=True)
class Owned:
    kind: str  # a key of World.owned
    variants: Callable[[str], list[str]] = lambda v: [v]


@dataclass(frozen=True)
class Shared:
    reason: str
    value: str | None = None  # a constant
    sql: str | None = None  # or the first row of a query (system scope)
    extra: str | None = None  # or a World.extra key


OPERATOR_RECORD = "the operator's own record, the same for every agency (not a tenant's)"
REFERENCE = "reference data every caller may read (no tenant owns it)"
PUBLISHED = "a published table: public, as in the e-Stat API"
PUBLISHED_SQL = "SELECT stats_data_id FROM stat_table WHERE status = 'published' ORDER BY stats_data_id"

RULES: dict[tuple[str, str], Owned | Shared] = {
    # tenant A's objects
    ("", "tenant_id"): Owned("tenant"),
    ("", "user_id"): Owned("user"),
    ("", "key_id"): Owned("api_key"),
    ("", "invoice_id"): Owned("invoice"),
    ("/billing/invoices", "ref"): Owned("invoice", lambda v: [v, f"{v}.csv"]),
    ("", "notice_id"): Owned("notice"),
    ("", "ticket_id"): Owned("ticket"),
    ("", "registration_id"): Owned("registration"),
    ("", "response_id"): Owned("plan_response"),
    ("", "class_id"): Owned("class"),
    ("", "file_id"): Owned("file"),
    ("", "stats_data_id"): Owned("stat_table"),
    ("", "record_id"): Owned("record"),
    ("", "row_id"): Owned("app_id"),
    ("", "query_id"): Owned("saved_query"),
    ("", "questionnaire_id"): Owned("questionnaire"),
    ("", "area_id"): Owned("gis_area"),
    ("", "dataset_id"): Owned("gis_dataset"),
    ("/api/ops/governance/briefings/requests", "request_id"): Owned("briefing_request"),
    ("/api/ops/governance/requests", "request_id"): Owned("agency_request"),
    ("/api/portal/notices", "notice_id"): Owned("portal_notice"),
    ("/portal/notices", "notice_id"): Owned("portal_notice"),
    ("", "board_id"): Owned("board"),
    ("", "post_id"): Owned("post"),
    ("", "attachment_id"): Owned("portal_file"),
    ("", "enumerator_id"): Owned("enumerator"),
    ("/api/frame", "survey_id"): Owned("frame_survey"),
    ("", "application_id"): Owned("frame_application"),
    ("", "draw_id"): Owned("frame_draw"),
    ("", "delivery_id"): Owned("frame_delivery"),
    ("/api/online", "survey_id"): Owned("online_survey"),
    ("/online", "survey_id"): Owned("online_survey"),
    ("/api/online", "respondent_id"): Owned("online_respondent"),
    ("/online/units", "unit_id"): Owned("online_unit"),
    ("/online/intermediary", "unit_id"): Owned("online_unit"),
    ("/api/online", "code"): Shared("the code of a tenant the caller's own survey is granted to", value="walker-other"),
    ("/api/onsite", "dataset_id"): Owned("onsite_dataset"),
    ("/api/onsite", "grant_id"): Owned("onsite_grant"),
    ("/onsite", "grant_id"): Owned("onsite_grant"),
    ("/api/onsite", "visit_id"): Owned("onsite_visit"),
    ("/onsite", "visit_id"): Owned("onsite_visit"),
    ("/api/onsite", "output_id"): Owned("onsite_output"),
    ("/onsite", "output_id"): Owned("onsite_output"),
    # the operator's records and reference data
    ("", "incident_id"): Shared(
        "an incident is the operator's and shown to every tenant subscribed to its module", extra="incident_id"
    ),
    ("/api/onsite", "facility_id"): Shared(
        "on-site facilities are the operator's, used by every agency's grants", extra="onsite_facility_id"
    ),
    ("", "window_id"): Shared(OPERATOR_RECORD, sql="SELECT id FROM maintenance_window ORDER BY starts_at DESC"),
    ("", "briefing_id"): Shared(OPERATOR_RECORD, extra="briefing_id"),
    ("", "session_id"): Shared("briefing sessions are open to every agency", extra="session_id"),
    ("", "regulation_id"): Shared(OPERATOR_RECORD, sql="SELECT id FROM regulation ORDER BY created_at DESC"),
    ("", "version_id"): Shared(
        "regulations bind every agency alike", sql="SELECT id FROM regulation_version ORDER BY created_at DESC"
    ),
    ("", "meeting_id"): Shared(OPERATOR_RECORD, sql="SELECT id FROM liaison_meeting ORDER BY held_at DESC"),
    ("", "audit_id"): Shared(OPERATOR_RECORD, sql="SELECT id FROM security_audit ORDER BY fiscal_year DESC"),
    ("", "finding_id"): Shared(OPERATOR_RECORD, sql="SELECT id FROM security_finding"),
    ("/api/ops/governance/security/actions", "action_id"): Shared(
        OPERATOR_RECORD, sql="SELECT id FROM security_action"
    ),
    ("", "issue_id"): Shared("reports are the operator's, read by MIC", sql="SELECT id FROM report_issue"),
    ("", "survey_id"): Shared("the plan survey goes to every agency alike", extra="plan_survey_id"),
    ("", "qid"): Shared("questionnaires are the operator's", sql="SELECT id FROM estat_questionnaire"),
    ("", "page_id"): Shared(
        "pages for statisticians are the operator's, read by every agency", sql="SELECT id FROM portal_page"
    ),
    ("", "dead_letter_id"): Shared(
        "a dead letter is the platform's bookkeeping, the operator's alone; none such: the walk replays nothing",
        value="999999999",
    ),
    ("", "synonym_id"): Shared(OPERATOR_RECORD, sql="SELECT id::text FROM estat_synonym", value="1"),
    ("", "unit_id"): Shared(
        "an establishment of the business register: the operator's, never an agency's",
        sql="SELECT id FROM frame_establishment",
    ),
    ("", "run_id"): Shared(OPERATOR_RECORD, sql="SELECT id FROM frame_run ORDER BY created_at DESC"),
    ("/frame/applications", "action"): Shared("a step of the operator's review", value="extract"),
    ("", "change_id"): Shared(REFERENCE, sql="SELECT id FROM area_change ORDER BY effective_on DESC"),
    ("/api/auth/masters", "kind"): Shared(REFERENCE, value="agencies"),
    ("/api/auth/masters", "key"): Shared(REFERENCE, value="00200"),
    ("/api/ops/reports", "kind"): Shared(OPERATOR_RECORD, value="annual"),
    ("", "fmt"): Shared("a file format", value="csv"),
    ("", "module_key"): Shared("a subsystem's key", value="statdb"),
    ("", "operation"): Shared("an operation's key", value="statdb.read"),
    ("/api/billing/plans", "code"): Shared("fee plans are published to every agency", value="standard"),
    ("/api/area", "code"): Shared(REFERENCE, value="13101"),
    ("/area", "code"): Shared(REFERENCE, value="13101"),
    ("/lod/area", "code"): Shared(REFERENCE, value="13101"),
    ("/api/classification", "code"): Shared(REFERENCE, value="E"),
    ("/api/region", "code"): Shared(
        REFERENCE, sql="SELECT code FROM region_indicator ORDER BY position", value="A1101"
    ),
    ("/region", "code"): Shared(REFERENCE, sql="SELECT code FROM region_indicator ORDER BY position", value="A1101"),
    ("/classification", "code"): Shared(REFERENCE, value="E"),
    ("", "version"): Shared(REFERENCE, value="jsic-13"),
    ("/estat/statistics", "code"): Shared(REFERENCE, value="00200521"),
    ("/estat/mypage/subscriptions", "code"): Shared(
        "a statistic's code; the subscription is the caller's own", value="00200521"
    ),
    ("/api/estat/subscriptions", "code"): Shared(
        "a statistic's code; the subscription is the caller's own", value="00200521"
    ),
    ("", "pref"): Shared(REFERENCE, value="29"),
    ("", "item_id"): Shared(
        "survey items are public metadata (ITEMS-1)", sql="SELECT id FROM items_item ORDER BY created_at"
    ),
    ("", "topic"): Shared("a help page", value="api"),
    ("/api/gis/tiles", "level"): Shared(REFERENCE, value="municipality"),
    ("/gis/areas", "code"): Shared(REFERENCE, value="13101"),
    ("/api/gis/tiles", "z"): Shared("a tile's address", value="5"),
    ("/api/gis/tiles", "x"): Shared("a tile's address", value="28"),
    ("/api/gis/tiles", "y"): Shared("a tile's address", value="12.mvt"),
    ("/estat/admin/questionnaires", "action"): Shared(OPERATOR_RECORD, value="close"),
    # SDMX-REST (estat/sdmx): public reads of published tables, named by the SDMX agency and id
    ("/sdmx/rest", "agency"): Shared("SDMX's maintenance agency of every published structure", value="GOVSTAT"),
    ("/sdmx/rest", "resource_id"): Shared(PUBLISHED, sql=PUBLISHED_SQL),
    ("/sdmx/rest", "flow"): Shared(PUBLISHED, sql=PUBLISHED_SQL),
    ("/sdmx/rest", "version"): Shared("SDMX's version of a structure", value="latest"),
    ("/sdmx/rest", "key"): Shared("an SDMX series key", value="all"),
    ("/sdmx/rest", "provider"): Shared("an SDMX data provider", value="all"),
    ("/sdmx/rest", "kind"): Shared("an SDMX structure type govstat does not offer (501)", value="categoryscheme"),
}

PARAM = re.compile(r"{(\w+)(?::\w+)?}")


class MissingFactory(LookupError):
    pass


def params_of(path: str) -> list[str]:
    return PARAM.findall(path)


def rule(path: str, param: str) -> Owned | Shared:
    best = None
    for (prefix, name), r in RULES.items():
        if name == param and path.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, r)
    if best is None:
        raise MissingFactory(f"add a factory for {{{param}}} of {path} (tests/support/walker_registry.py)")
    return best[1]


async def shared_value(r: Shared, world) -> str:
    if r.extra:
        return str(world.extra[r.extra])
    if r.sql:
        async with UnitOfWork(Scope.system("walker")) as uow:
            found = await uow.fetchval(r.sql + " LIMIT 1")
        if found is not None:
            return str(found)
    return r.value if r.value is not None else str(uuid.uuid4())


async def urls(path: str, world) -> list[tuple[str, set[str]]]:
    """Concrete URLs for a route (one per variant) and the ids of A's objects each one names."""
    results: list[tuple[str, set[str]]] = [(path, set())]
    for param in params_of(path):
        r = rule(path, param)
        if isinstance(r, Owned):
            values, owned = r.variants(world.owned[r.kind]), True
        else:
            values, owned = [await shared_value(r, world)], False
        pattern = re.compile(r"{" + param + r"(?::\w+)?}")
        results = [
            (pattern.sub(v, url, count=1), ids | ({world.owned[r.kind]} if owned else set()))
            for url, ids in results
            for v in values
        ]
    return results

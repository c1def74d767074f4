"""`govstat seed --demo`: a year of usage for the demo tenants (issue 15 §6), so that /billing,
/sla, /ops and the annual report open with figures instead of empty months.

The traffic is a model, deterministic from a seed: each tenant's subscribed modules get calls
per hour shaped by office hours (JST), a lunch dip, quiet nights and weekends, a slow start in
the first months, a busy release day, three incidents (errors and slow answers for a few hours)
and a Sunday-night maintenance window with no calls at all. It is written hour by hour into the
same read models the consumers keep from usage events (ops' `usage_minute`, the SLA's
`sla_minute`, billing's `billable_usage`, with the consumers' rules: 5xx are errors, 4xx client
errors, only answered calls billed, billing by JST day), and the monthly invoice run then bills
each past month as the scheduled job does. One aggregated row per hour instead of one event per
call keeps a year under a minute; the dashboards read sums, so they cannot tell the difference.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass, field

from govstat.gateway.billing.invoicing import run_invoices
from govstat.gateway.billing.periods import Period
from govstat.gateway.sla import histogram
from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

SEED = 20_240_401
MONTHS = 12
NIL = uuid.UUID(int=0)
# The operation each module's demo calls bill as (the module's everyday read).
OPERATIONS = {"area": "area.search", "estat": "estat.api.data", "statdb": "statdb.read", "tables": "tables.read"}
# Calls per working-day peak hour, by tenant (bigger ministries call more); public e-Stat callers apart.
SCALE = {"mic": 240, "maff": 90, "meti": 110, "nara-pref": 35, "kobe-city": 30}
PUBLIC_PEAK = 900
HOUR_SHAPE = [0.02, 0.01, 0.01, 0.01, 0.02, 0.04, 0.1, 0.3, 0.7, 1.0, 0.95, 0.9, 0.45, 0.85, 1.0, 0.95, 0.8, 0.6]
HOUR_SHAPE += [0.35, 0.2, 0.12, 0.08, 0.05, 0.03]


@dataclass
class Events:
    """The year's notable days, drawn from the seed."""

    release: dt.date
    incidents: list[tuple[dt.datetime, int, str]]  # start (JST), hours, module
    maintenance: tuple[dt.datetime, int]  # start (JST), hours
    notes: list[str] = field(default_factory=list)


@dataclass
class Hour:
    at: dt.datetime
    tenant_id: uuid.UUID | None
    module: str
    calls: int
    errors: int
    client_errors: int
    units: int
    latency_ms: float  # mean
    buckets: list[int]


def plan_events(rng: random.Random, first: dt.date, last: dt.date, modules: list[str]) -> Events:
    days = (last - first).days
    weekdays = [first + dt.timedelta(d) for d in range(30, days - 3) if (first + dt.timedelta(d)).weekday() < 5]
    release = rng.choice(weekdays)
    incidents = []
    for day in rng.sample(weekdays, 3):
        start = dt.datetime.combine(day, dt.time(rng.choice([10, 11, 14, 15])), JST)
        incidents.append((start, rng.choice([1, 2, 3]), rng.choice(modules)))
    sundays = [d for d in (first + dt.timedelta(n) for n in range(days)) if d.weekday() == 6]
    maintenance = (dt.datetime.combine(rng.choice(sundays[4:-2]), dt.time(1), JST), 4)
    return Events(release, incidents, maintenance)


def model_hours(
    rng: random.Random,
    tenants: dict[uuid.UUID | None, tuple[float, list[str]]],
    first: dt.date,
    last: dt.date,
    ev: Events,
    until: dt.datetime | None = None,
) -> list[Hour]:
    """Every hour from `first` to the start of `last`, or on to `until` (the current hour) when given."""
    out = []
    start = dt.datetime.combine(first, dt.time(), JST)
    hours = (last - first).days * 24 if until is None else (until - start) // dt.timedelta(hours=1)
    m_start, m_hours = ev.maintenance
    for h in range(hours):
        at = start + dt.timedelta(hours=h)
        if m_start <= at < m_start + dt.timedelta(hours=m_hours):
            continue  # maintenance: the platform is down on purpose, nobody calls
        weekend = at.weekday() >= 5
        growth = 0.6 + 0.4 * min(h / (hours * 0.4), 1.0)  # adoption grows over the first months
        day_factor = (0.12 if weekend else 1.0) * (6.0 if at.date() == ev.release else 1.0)
        incident = next((m for s, n, m in ev.incidents if s <= at < s + dt.timedelta(hours=n)), None)
        for tenant_id, (peak, modules) in tenants.items():
            for i, module in enumerate(modules):
                mean = peak * HOUR_SHAPE[at.hour] * day_factor * growth / (1 + i * 0.6)
                calls = _poisson(rng, mean)
                if calls == 0:
                    continue
                failing = module == incident
                errors = _binomial(rng, calls, 0.35 if failing else 0.0015)
                client_errors = _binomial(rng, calls - errors, 0.02)
                latency = rng.lognormvariate(math.log(1800 if failing else 45), 0.5)
                out.append(
                    Hour(
                        at,
                        tenant_id,
                        module,
                        calls,
                        errors,
                        client_errors,
                        calls * rng.randint(5, 60),
                        latency,
                        _spread(rng, calls - errors, latency),
                    )
                )
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(int(rng.gauss(mean, math.sqrt(mean)) + 0.5), 0)
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return min(n, _poisson(rng, n * p))


def _spread(rng: random.Random, answered: int, mean_ms: float) -> list[int]:
    """A histogram of `answered` latencies around `mean_ms` (lognormal), in the SLA's buckets."""
    buckets = [0] * histogram.SIZE
    for _ in range(min(answered, 24)):  # a sample, scaled to the hour's calls
        buckets[histogram.bucket_index(rng.lognormvariate(math.log(mean_ms), 0.6))] += 1
    sampled = sum(buckets)
    scaled = [b * answered // sampled for b in buckets] if sampled else buckets
    scaled[histogram.bucket_index(mean_ms)] += answered - sum(scaled)
    return scaled


async def seed_history(
    seed: int = SEED,
    months: int = MONTHS,
    today: dt.date | None = None,
    *,
    only: list[uuid.UUID] | None = None,
    scale: float = 1.0,
) -> dict[str, int]:
    """Write `months` months of the active tenants' usage up to `today` and invoice each month.
    `only`: these tenants and no public callers; `scale`: fewer calls (tests)."""
    rng = random.Random(seed)
    # Up to the current hour when writing up to now: a history that stopped at midnight JST left the
    # /ops dashboard's last 24 hours with only night hours (no calls) late in the JST day.
    until = None if today else dt.datetime.now(JST).replace(minute=0, second=0, microsecond=0)
    today = today or dt.datetime.now(JST).date()
    first = _months_back(today.replace(day=1), months)
    async with UnitOfWork(Scope.system("seed")) as uow:
        rows = await uow.fetch(
            "SELECT t.id, t.code, array_agg(s.module_key ORDER BY s.module_key) AS modules FROM tenant t"
            " JOIN subscription s ON s.tenant_id = t.id AND s.ends_on IS NULL"
            " WHERE t.kind IN ('constituent', 'approved_body') AND t.status = 'active'"
            " AND ($1::uuid[] IS NULL OR t.id = ANY($1)) GROUP BY t.id, t.code ORDER BY t.code",
            only,
        )
        tenants: dict[uuid.UUID | None, tuple[float, list[str]]] = {
            r["id"]: (SCALE.get(r["code"], 25) * scale, sorted(r["modules"], key=lambda m: (m not in OPERATIONS, m)))
            for r in rows
        }
        if only is None:
            tenants[None] = (PUBLIC_PEAK * scale, ["estat", "area"])  # the public's e-Stat API and area look-ups
        # The demo tenants were admitted a year ago: billing and subscriptions start then.
        ids = [r["id"] for r in rows]
        since = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(9), JST)
        await uow.execute("UPDATE tenant SET activated_at = $2 WHERE id = ANY($1) AND activated_at > $2", ids, since)
        await uow.execute(
            "UPDATE subscription SET starts_on = $2 WHERE tenant_id = ANY($1) AND starts_on > $2", ids, first
        )
        events = plan_events(rng, first, today, sorted({m for _, ms in tenants.values() for m in ms}))
        hours = model_hours(rng, tenants, first, today, events, until)
        await _write_usage(uow, hours)
        await _write_sla(uow, hours)
        await _write_billable(uow, hours)
        await _write_events(uow, events)
    invoices = 0
    period = Period(first.year, first.month)
    now = dt.datetime.now(dt.UTC)
    while period.first_day <= today:
        report = await run_invoices(period, now, tenant_ids=only, actor="seed")
        invoices += len(report.results)
        period = period.next()
    return {"hours": len(hours), "calls": sum(h.calls for h in hours), "invoices": invoices}


def _months_back(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, 1)


def _op(module: str) -> str:
    return OPERATIONS.get(module, f"{module}.read")


async def _write_usage(uow: UnitOfWork, hours: list[Hour]) -> None:
    """ops' per-minute rollup (ops/consumers.py), one row per hour."""
    await uow.execute(
        "INSERT INTO usage_minute (minute, tenant_id, module, operation, principal_kind, calls, errors, client_errors,"
        " units, bytes, latency_ms_sum, latency_ms_max)"
        " SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],"
        " $8::int[], $9::bigint[], $10::bigint[], $11::float8[], $12::float8[]) ON CONFLICT DO NOTHING",
        [h.at for h in hours],
        [h.tenant_id for h in hours],
        [h.module for h in hours],
        [_op(h.module) for h in hours],
        ["public" if h.tenant_id is None else "agency" for h in hours],
        [h.calls for h in hours],
        [h.errors for h in hours],
        [h.client_errors for h in hours],
        [h.units for h in hours],
        [h.units * 160 for h in hours],
        [h.latency_ms * h.calls for h in hours],
        [h.latency_ms * 4 for h in hours],
    )


async def _write_sla(uow: UnitOfWork, hours: list[Hour]) -> None:
    """The SLA's per-minute model (gateway/sla/consumers.py): errors are 5xx, slow is past the threshold."""
    from govstat.gateway.sla.slo import DEFAULT

    slow_from = histogram.bucket_index(DEFAULT.latency_threshold_ms) + 1
    await uow.execute(
        "INSERT INTO sla_minute (module_key, tenant_key, minute, source, calls, errors, slow, latency_buckets)"
        " SELECT m, t, at, 'request', c, e, s, string_to_array(b, ',')::bigint[] FROM unnest($1::text[], $2::uuid[],"
        " $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::text[]) AS x(m, t, at, c, e, s, b)"
        " ON CONFLICT DO NOTHING",
        [h.module for h in hours],
        [h.tenant_id or NIL for h in hours],
        [h.at for h in hours],
        [h.calls for h in hours],
        [h.errors for h in hours],
        [sum(h.buckets[slow_from:]) for h in hours],
        [",".join(map(str, h.buckets)) for h in hours],
    )


async def _write_billable(uow: UnitOfWork, hours: list[Hour]) -> None:
    """Billing's own model (gateway/billing/usage.py): a tenant's answered calls (< 400) by JST day."""
    days: dict[tuple[uuid.UUID, dt.date, str], list[int]] = {}
    for h in hours:
        if h.tenant_id is None:
            continue
        answered = h.calls - h.errors - h.client_errors
        cell = days.setdefault((h.tenant_id, h.at.astimezone(JST).date(), h.module), [0, 0])
        cell[0] += answered
        cell[1] += h.units * answered // h.calls
    keys = list(days)
    await uow.execute(
        "INSERT INTO billable_usage (tenant_id, day, module_key, operation, calls, units)"
        " SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])"
        " ON CONFLICT DO NOTHING",
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
        [_op(k[2]) for k in keys],
        [days[k][0] for k in keys],
        [days[k][1] for k in keys],
    )


async def _write_events(uow: UnitOfWork, ev: Events) -> None:
    """The maintenance window and the incidents, as the operators closed them."""
    start, n = ev.maintenance
    await uow.execute(
        "INSERT INTO maintenance_window (id, module_key, starts_at, ends_at, description, created_by)"
        " VALUES ($1, NULL, $2, $3, $4, 'seed')",
        uuid.uuid4(),
        start,
        start + dt.timedelta(hours=n),
        "定期保守（全サブシステム停止） / scheduled maintenance, all subsystems",
    )
    for at, hours, module in ev.incidents:
        end = at + dt.timedelta(hours=hours)
        await uow.execute(
            "INSERT INTO incident (id, module_key, title, severity, state, source, detected_at, mitigated_at,"
            " recovered_at, closed_at, created_by) VALUES ($1, $2, $3, $4, 'closed', 'sla', $5, $6, $6, $7, 'seed')",
            uuid.uuid4(),
            module,
            f"{module}: エラー率・応答時間の悪化 / error rate and latency up",
            "major" if hours > 1 else "minor",
            at + dt.timedelta(minutes=4),
            end,
            end + dt.timedelta(days=2),
        )

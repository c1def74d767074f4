"""Service level objectives per module (GOV-17) and their defaults."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from govstat.platform.db.uow import UnitOfWork


class Slo(msgspec.Struct, frozen=True, kw_only=True):
    module_key: str
    availability_target: float = 99.9  # % of calls answered without a server error
    latency_threshold_ms: int = 1000  # an answered call slower than this is "slow"
    latency_target: float = 99.0  # % of answered calls at or under the threshold
    window_days: int = 30  # the error budget's window


DEFAULT = Slo(module_key="")
COLUMNS = "module_key, availability_target, latency_threshold_ms, latency_target, window_days"


def default_for(module_key: str) -> Slo:
    return msgspec.structs.replace(DEFAULT, module_key=module_key)


async def ensure_default_slos(uow: UnitOfWork, module_keys: Iterable[str]) -> int:
    """Give every module of the keys given (the catalog's subsystems) the default SLO if it has none.

    Called by the burn-rate job, never at import: an operator's own values are kept
    (ON CONFLICT DO NOTHING). Returns how many were added."""
    keys = sorted(set(module_keys))
    if not keys:
        return 0
    added: int = await uow.fetchval(
        f"WITH added AS (INSERT INTO slo ({COLUMNS}) SELECT k, $2, $3, $4, $5 FROM unnest($1::text[]) AS k"
        " ON CONFLICT (module_key) DO NOTHING RETURNING module_key) SELECT count(*)::int FROM added",
        keys,
        DEFAULT.availability_target,
        DEFAULT.latency_threshold_ms,
        DEFAULT.latency_target,
        DEFAULT.window_days,
    )
    return added


async def load_slos(uow: UnitOfWork) -> dict[str, Slo]:
    return {s.module_key: s for s in await uow.rows(Slo, f"SELECT {COLUMNS} FROM slo ORDER BY module_key")}

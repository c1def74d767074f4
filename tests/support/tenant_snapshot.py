"""What tenant A owns in the database, read in the system scope: every row of every table with a
`tenant_id` that is A's, A's tenant row, and its public user's rows. A fingerprint (one query)
tells after each call whether anything changed; the full snapshot says what."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

# Append-only logs the gateway writes for every caller (B's own calls land there, under B).
LOGS = {"audit_log", "outbox", "billable_usage", "usage_minute"}
# $1 is A's tenant id, $2 its public user's id
PUBLIC_USER_SOURCES = [
    ("tenant", "SELECT * FROM tenant WHERE id = $1"),
    ("app_user (public)", "SELECT * FROM app_user WHERE id = $2"),
    ("app_id", "SELECT * FROM app_id WHERE user_id = $2"),
    ("estat_saved_query", "SELECT * FROM estat_saved_query WHERE owner_id = $2"),
    ("estat_subscription", "SELECT * FROM estat_subscription WHERE owner_id = $2"),
]


async def _sources(uow: UnitOfWork) -> list[tuple[str, str]]:
    tables = await uow.fetch(
        "SELECT DISTINCT table_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name"
    )
    return [
        (t["table_name"], f"SELECT * FROM {t['table_name']} WHERE tenant_id = $1")
        for t in tables
        if t["table_name"] not in LOGS
    ] + PUBLIC_USER_SOURCES


def _text(sql: str) -> str:
    """The source's rows as one text, in a stable order; $2 cast so an unused one still has a type."""
    return f"(SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM ({sql}) t)"


async def snapshot(tenant_id: uuid.UUID, public_user: uuid.UUID | None) -> dict[str, list[str]]:
    """{source: rows as text}."""
    async with UnitOfWork(Scope.system("walker")) as uow:
        sources = await _sources(uow)
        row = await uow.fetchrow(
            "SELECT "
            + ", ".join(f"{_text(sql)} AS s{i}" for i, (_, sql) in enumerate(sources))
            + ", $1::uuid AS _a, $2::uuid AS _b",
            tenant_id,
            public_user,
        )
    return {name: row[f"s{i}"].split("\n") for i, (name, _) in enumerate(sources)}


async def fingerprint(tenant_id: uuid.UUID, public_user: uuid.UUID | None) -> str:
    async with UnitOfWork(Scope.system("walker")) as uow:
        sources = await _sources(uow)
        return await uow.fetchval(
            "SELECT md5("
            + " || ".join(_text(sql) for _, sql in sources)
            + " || $1::uuid::text || coalesce($2::uuid::text, ''))",
            tenant_id,
            public_user,
        )


def diff(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    changed = {}
    for name in before.keys() | after.keys():
        old, new = set(before.get(name, [])), set(after.get(name, []))
        if old != new:
            changed[name] = {"gone": sorted(old - new), "new": sorted(new - old)}
    return changed

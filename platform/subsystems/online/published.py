"""What other parts may read of the online survey system (decisions/0010): the gateway signs
respondents in with their issued login ID."""

from __future__ import annotations

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.online.rows import SignInRow

READS_FOR_OTHERS = True
VIEWS: tuple[str, ...] = ()


async def respondent_for_login(uow: UnitOfWork, login: str) -> SignInRow | None:
    """The respondent with this login ID (a system scope: the tenant is not known before sign-in)."""
    return await uow.row(
        SignInRow,
        "SELECT r.id, r.tenant_id, r.login, r.password_hash,"
        " coalesce((SELECT min(u.unit_name) FROM online_unit u WHERE u.respondent_id = r.id), r.respondent_code) AS name"
        " FROM online_respondent r WHERE r.login = $1",
        login,
    )


async def respondent_rehashed(uow: UnitOfWork, respondent_id: uuid.UUID, old_hash: str, new_hash: str) -> None:
    """The gateway's sign-in upgrades a hash made with earlier argon2 parameters (platform/passwords.py);
    only while the old hash is still the stored one, so a password changed meanwhile is never undone."""
    await uow.execute(
        "UPDATE online_respondent SET password_hash = $3 WHERE id = $1 AND password_hash = $2",
        respondent_id,
        old_hash,
        new_hash,
    )

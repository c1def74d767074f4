"""What other parts may read of the online survey system (decisions/0010): the gateway signs
respondents in with their issued login ID."""

from __future__ import annotations

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

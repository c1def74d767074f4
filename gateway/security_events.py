"""Security monitoring events (GOV-15): refused access becomes an audit event."""

from __future__ import annotations

import logging

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.events.audit import audit
from govstat.platform.module import Access
from govstat.platform.security import Principal, Scope

log = logging.getLogger("govstat.security")


async def record_denial(scope, principal: Principal, module: str, access: Access, exc: GovstatError) -> None:
    try:
        async with UnitOfWork(Scope.system("gateway")) as uow:
            await _audit_as(
                uow,
                principal,
                f"access.{exc.slug}",
                principal.tenant_id,
                module=module,
                operation=access.operation,
                method=scope["method"],
                path=scope["path"],
                status=exc.status,
            )
    except Exception:
        log.warning("could not record access denial", exc_info=True)


async def _audit_as(uow: UnitOfWork, principal: Principal, action: str, tenant_id, **detail) -> None:
    await audit(
        uow,
        action,
        tenant_id=tenant_id,
        target_type="route",
        target_id=detail.get("path", ""),
        outcome="denied",
        principal=principal.subject or "anonymous",
        principal_kind=principal.kind.value,
        **detail,
    )


async def record_sign_in(
    principal_subject: str, tenant_id, login: str, ok: bool, reason: str = "", ip: str = ""
) -> None:
    async with UnitOfWork(Scope.system("gateway")) as uow:
        await audit(
            uow,
            "auth.sign_in" if ok else "auth.sign_in_failed",
            tenant_id=tenant_id,
            target_type="user",
            target_id=principal_subject or login,
            module="auth",
            outcome="success" if ok else "denied",
            login=login,
            reason=reason,
            ip=ip,
        )

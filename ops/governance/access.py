"""Who may call the governance API: the operator manages; agencies submit, register and acknowledge;
staff read (what row-level security lets them see)."""

from __future__ import annotations

from typing import Any

from govstat.platform.module import Operation, access
from govstat.platform.security import Role

OP = Role.OPERATOR
AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
READ, MANAGE, SUBMIT = "ops.governance", "ops.governance.manage", "ops.governance.submit"
OPERATIONS = (
    Operation(READ, "運営記録の参照"),
    Operation(MANAGE, "運営記録の管理"),
    Operation(SUBMIT, "利用機関からの申出・登録・確認"),
)


def read(*roles: Role) -> dict[str, Any]:
    return access(*(roles or (OP, *AGENCY)), op=READ, subscription=False)


def manage() -> dict[str, Any]:
    return access(OP, op=MANAGE, subscription=False)


def submit(*roles: Role) -> dict[str, Any]:
    return access(*(roles or AGENCY), op=SUBMIT, subscription=False)

"""Turning credentials into one Principal: who, which tenant, which roles, which kind."""

from __future__ import annotations

import uuid

from govstat.platform.security import Principal, PrincipalKind, Role

_KIND_ORDER = [
    (Role.OPERATOR, PrincipalKind.OPERATOR),
    (Role.MIC, PrincipalKind.AGENCY),
    (Role.AGENCY_ADMIN, PrincipalKind.AGENCY),
    (Role.AGENCY_STAFF, PrincipalKind.AGENCY),
    (Role.INTERMEDIARY, PrincipalKind.INTERMEDIARY),
    (Role.ONSITE, PrincipalKind.ONSITE),
    (Role.PUBLIC, PrincipalKind.PUBLIC),
    (Role.RESPONDENT, PrincipalKind.RESPONDENT),
]


def kind_for(roles: frozenset[Role]) -> PrincipalKind:
    for role, kind in _KIND_ORDER:
        if role in roles:
            return kind
    return PrincipalKind.ANONYMOUS


def principal_for(
    *, subject: uuid.UUID | str, name: str, roles: list[str], tenant_id: uuid.UUID | None, via: str
) -> Principal:
    role_set = frozenset(Role(r) for r in roles)
    return Principal(
        kind=kind_for(role_set), subject=str(subject), name=name, tenant_id=tenant_id, roles=role_set, via=via
    )

"""Who is acting: roles, principal kinds, the Principal and the database Scope.

The gateway builds a Principal for every request; modules only read it.
"""

from __future__ import annotations

import enum
import uuid

import msgspec


class Role(str, enum.Enum):
    OPERATOR = "operator"  # 運用管理機関 (National Statistics Center)
    MIC = "mic"  # 総務省: oversight, reports, contracts
    AGENCY_ADMIN = "agency_admin"  # 利用機関の管理者
    AGENCY_STAFF = "agency_staff"  # 利用機関の職員
    INTERMEDIARY = "intermediary"  # 経由機関
    PUBLIC = "public"  # 一般利用者 (registered)
    ONSITE = "onsite"  # オンサイト利用者
    RESPONDENT = "respondent"  # 調査対象者: signs in with an issued login ID (online surveys)


class PrincipalKind(str, enum.Enum):
    OPERATOR = "operator"
    AGENCY = "agency"
    INTERMEDIARY = "intermediary"
    PUBLIC = "public"
    ONSITE = "onsite"
    RESPONDENT = "respondent"  # sees only their own units (row-level security on app.actor)
    ANONYMOUS = "anonymous"
    SYSTEM = "system"  # platform processes: relay, monitor, worker


AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_STAFF})
STAFF_ROLES = frozenset({Role.OPERATOR, Role.MIC, Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.INTERMEDIARY})


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    kind: PrincipalKind
    subject: str = ""  # user id, api key id or appId; "" when anonymous
    name: str = ""
    tenant_id: uuid.UUID | None = None
    roles: frozenset[Role] = frozenset()
    via: str = "none"  # session | api_key | app_id | none

    @property
    def is_operator(self) -> bool:
        return Role.OPERATOR in self.roles

    def has_any(self, roles: frozenset[Role] | set[Role]) -> bool:
        return bool(self.roles & set(roles))

    def scope(self) -> Scope:
        # MIC (総務省) oversees: its scope may read tenants and their contracts (see Scope.oversight)
        role = "operator" if self.is_operator else ("mic" if Role.MIC in self.roles else self.kind.value)
        return Scope(tenant_id=self.tenant_id, role=role, actor=self.subject or "anonymous")


ANONYMOUS = Principal(kind=PrincipalKind.ANONYMOUS)


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    """What a transaction may see: set as app.tenant_id / app.role / app.actor."""

    tenant_id: uuid.UUID | None = None
    role: str = "anonymous"
    actor: str = "anonymous"

    @classmethod
    def system(cls, actor: str = "system") -> Scope:
        return cls(role="system", actor=actor)

    @classmethod
    def tenant(cls, tenant_id: uuid.UUID, role: str = "agency", actor: str = "system") -> Scope:
        return cls(tenant_id=tenant_id, role=role, actor=actor)

    @property
    def oversight(self) -> bool:
        """MIC reads the tables marked OVERSIGHT_READ across tenants (tenants, contracts, decisions,
        subscriptions), and changes only its own tenant's rows like any agency."""
        return self.role == "mic"

    @property
    def cross_tenant(self) -> bool:
        return self.role in ("operator", "system")

"""The one builder of WHERE clauses and tenant scopes for hand-written SQL.

    w = Where().scoped(uow, "t.").eq("t.status", status).add("t.title ILIKE {}", f"%{q}%")
    rows = await uow.rows(TableRow, f"SELECT ... FROM stat_table t WHERE {w} ORDER BY ...", *w.args)

Values are always bound parameters ($1, $2, ...): `{}` in a condition stands for the next one.
`scoped` adds the same tenant condition repositories add (the caller's own rows; every row for a
cross-tenant scope such as the operator's); row-level security stays the backstop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from govstat.platform.security import Scope


def own(scope: Scope, alias: str = "") -> str:
    """The tenant condition: the scope's own rows, or `true` when the scope spans tenants."""
    return "true" if scope.cross_tenant else f"{alias}tenant_id = govstat_scope_tenant()"


class Where:
    def __init__(self, *, first: int = 1, args: Sequence[Any] = ()) -> None:
        """`first`: the number of the first parameter (when the statement binds others before)."""
        self.conditions: list[str] = []
        self.args: list[Any] = list(args)
        self._offset = first - 1 - len(self.args)

    def param(self, value: Any) -> str:
        """Bind `value`; answers its placeholder ($n)."""
        self.args.append(value)
        return f"${len(self.args) + self._offset}"

    def add(self, condition: str, *values: Any) -> Self:
        """A condition with `{}` for each value, in order."""
        self.conditions.append(condition.format(*(self.param(v) for v in values)))
        return self

    def eq(self, column: str, value: Any) -> Self:
        """`column = value`, only when value is given (None and "" mean: no filter)."""
        if value is not None and value != "":
            self.add(f"{column} = {{}}", value)
        return self

    def any(self, column: str, values: Sequence[Any] | None, cast: str = "text") -> Self:
        """`column = ANY(values)`, only when values are given."""
        if values:
            self.add(f"{column} = ANY({{}}::{cast}[])", list(values))
        return self

    def scoped(self, scope_or_uow: Any, alias: str = "") -> Self:
        scope = getattr(scope_or_uow, "scope", scope_or_uow)
        self.conditions.append(own(scope, alias))
        return self

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) or "true"

    def __str__(self) -> str:
        return self.sql

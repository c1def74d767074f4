"""Repositories: scoped access to one table, handed out by the unit of work.

For a tenant table every statement carries `tenant_id = <scope tenant>` unless the
scope is cross-tenant (operator, system). Row-level security is the backstop.
Another tenant's row therefore answers NotFound, never Forbidden. Repositories
never commit: the unit of work does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from piccolo.columns import JSON, JSONB, Column
from piccolo.table import Table

from govstat.platform.db.rows import decode
from govstat.platform.errors import NotFound

if TYPE_CHECKING:
    from govstat.platform.db.uow import UnitOfWork

T = TypeVar("T", bound=Table)
Out = TypeVar("Out")  # the row type answered: a msgspec Struct (a dict only for callers not yet typed)
NIL_TENANT = uuid.UUID(int=0)


class Repository(Generic[T, Out]):
    def __init__(self, uow: UnitOfWork, table: type[T], row_type: type | None = None) -> None:
        self.uow = uow
        self.table = table
        self.row_type = row_type
        self._json_columns = [c._meta.name for c in table._meta.columns if isinstance(c, (JSON, JSONB))]
        self.tenant_column = getattr(table, "TENANT_COLUMN", "tenant_id")
        self.tenant_scoped = any(c._meta.name == self.tenant_column for c in table._meta.columns)

    def _scoped(self, where: Sequence[Any], *, read: bool = False) -> list[Any]:
        clauses = list(where)
        scope = self.uow.scope
        oversight = read and scope.oversight and getattr(self.table, "OVERSIGHT_READ", False)
        if self.tenant_scoped and not scope.cross_tenant and not oversight:
            # No tenant in scope: match nothing rather than everything (fail closed).
            column = getattr(self.table, self.tenant_column)
            clauses.append(column == (scope.tenant_id or NIL_TENANT))
        return clauses

    async def _run(self, query: Any) -> Any:  # a Piccolo query, awaited in the unit of work
        async def once() -> Any:
            with self.uow.bound():
                return await query

        return await self.uow.statement(once)  # again on the primary if a replica's connection is lost

    @staticmethod
    def _apply_where(query: Any, clauses: list[Any]) -> Any:
        for clause in clauses:
            query = query.where(clause)
        return query

    def _pk(self) -> Column:
        return self.table._meta.primary_key

    def _out(self, row: dict[str, Any]) -> Out:
        return decode(self.row_type, row) if self.row_type is not None else row  # type: ignore[return-value]

    async def get(self, pk: Any, *, for_update: bool = False) -> Out:
        row = await self.first(self._pk() == pk, for_update=for_update)
        if row is None:
            raise NotFound(f"{self.table._meta.tablename} {pk} が見つかりません / not found")
        return row

    async def first(self, *where: Any, for_update: bool = False) -> Out | None:
        query = self._apply_where(
            self.table.select().output(load_json=True), self._scoped(where, read=not for_update)
        ).first()
        if for_update:
            query = query.lock_rows("UPDATE")
        row = await self._run(query)
        return None if row is None else self._out(row)

    async def find(
        self,
        *where: Any,
        order_by: Column | None = None,
        ascending: bool = True,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[Out]:
        query = self._apply_where(self.table.select().output(load_json=True), self._scoped(where, read=True))
        if order_by is not None:
            query = query.order_by(order_by, ascending=ascending)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [self._out(r) for r in await self._run(query)]

    async def count(self, *where: Any) -> int:
        n: int = await self._run(self._apply_where(self.table.count(), self._scoped(where, read=True)))
        return n

    def _decode(self, row: dict[str, Any]) -> dict[str, Any]:
        # RETURNING gives JSON columns as text; selects use output(load_json=True).
        for name in self._json_columns:
            if isinstance(row.get(name), str):
                row[name] = json.loads(row[name])
        return row

    async def add(self, **values: Any) -> Out:
        scope = self.uow.scope
        if self.tenant_scoped and self.tenant_column == "tenant_id" and "tenant_id" not in values:
            values["tenant_id"] = scope.tenant_id
        rows = await self._run(self.table.insert(self.table(**values)).returning(*self.table._meta.columns))
        return self._out(self._decode(rows[0]))

    async def update(self, pk: Any, **values: Any) -> Out:
        clauses = self._scoped([self._pk() == pk])
        query = self.table.update(cast("dict[Column | str, Any]", values))
        rows = await self._run(self._apply_where(query, clauses).returning(*self.table._meta.columns))
        if not rows:
            raise NotFound(f"{self.table._meta.tablename} {pk} が見つかりません / not found")
        return self._out(self._decode(rows[0]))

    async def delete(self, pk: Any) -> None:
        clauses = self._scoped([self._pk() == pk])
        rows = await self._run(self._apply_where(self.table.delete(), clauses).returning(self._pk()))
        if not rows:
            raise NotFound(f"{self.table._meta.tablename} {pk} が見つかりません / not found")

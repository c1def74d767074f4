"""Collecting validation errors that name the line and the field (4xx problem details)."""

from __future__ import annotations

from govstat.platform.errors import FieldError, InvalidInput

MAX_ERRORS = 100


class Problems:
    """Errors of one parameter file and its data file; `prefix` names the file in a bulk request."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.errors: list[FieldError] = []

    def add(self, line: int, field: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(FieldError(f"{self.prefix}line {line}: {field}", message))

    def data(self, line: int, column: int | None, message: str) -> None:
        where = f"data line {line}" + (f": column {column}" if column else "")
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(FieldError(f"{self.prefix}{where}", message))

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def __bool__(self) -> bool:
        return bool(self.errors)

    def extend(self, other: Problems) -> None:
        self.errors.extend(other.errors[: MAX_ERRORS - len(self.errors)])

    def raise_if_any(self) -> None:
        if self.errors:
            first = self.errors[0]
            more = (
                f" (ほか {len(self.errors) - 1} 件 / and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            )
            raise InvalidInput(f"{first.field}: {first.message}{more}", errors=list(self.errors))

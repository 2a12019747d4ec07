"""What the plugin reports when it cannot translate a construct, and where the construct is."""

from __future__ import annotations

from dataclasses import dataclass


class PlanError(Exception):
    """A construct the plugin cannot translate; names where it is."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        query: str = "",
        column: str = "",
        what: str = "column",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.query = query
        self.column = column
        self.what = what  # what `column` names: a column or a parameter

    def __str__(self) -> str:
        where = [
            part
            for part in (
                self.file,
                f"query {self.query}" if self.query else "",
                f"{self.what} {self.column}" if self.column else "",
            )
            if part
        ]
        return f"{': '.join(where)}: {self.message}" if where else self.message


class PlanFailedError(Exception):
    """Every error of one generation, so a user sees them all at once."""

    def __init__(self, errors: list[PlanError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class Diagnostics:
    """The warnings of one generation, in the order found, each once; `strict` makes the
    constructs that would be warnings errors instead (option strict_types)."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self._warnings: dict[str, None] = {}

    def warn(self, error: PlanError) -> None:
        """Report `error` as a warning, or raise it where warnings are errors."""
        if self.strict:
            raise error
        self._warnings[str(error)] = None

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._warnings)


@dataclass(frozen=True)
class Where:
    """A place in the input: query file (or table), query and column, as far as known."""

    file: str = ""
    query: str = ""
    column: str = ""
    what: str = "column"

    def error(self, message: str) -> PlanError:
        return PlanError(
            message, file=self.file, query=self.query, column=self.column, what=self.what
        )

    def at(self, column: str) -> Where:
        return Where(self.file, self.query, column)

    def at_parameter(self, name: str) -> Where:
        return Where(self.file, self.query, name, "parameter")

"""One exception hierarchy for everything betdb raises, whichever driver ran the statement.

Server errors map to these classes by SQLSTATE, never by their text (``betdb._translate``
decides, for asyncpg and psycopg alike). Every error carries the query name (from the SQL's
``-- name:`` line) and the correlation id of the unit of work it happened in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from betdb._observability import current_correlation_id
from betdb._redact import redact_secrets


class BetdbError(Exception):
    """Base of every betdb error."""

    def __init__(
        self,
        message: str,
        *,
        query: str | None = None,
        correlation_id: str | None = None,
        sqlstate: str | None = None,
    ) -> None:
        self.message = redact_secrets(message)
        self.query = query
        self.correlation_id = correlation_id or current_correlation_id()
        self.sqlstate = sqlstate
        super().__init__(self.message)

    def __str__(self) -> str:
        context = [f"query={self.query}"] if self.query else []
        if self.sqlstate:
            context.append(f"sqlstate={self.sqlstate}")
        context.append(f"correlation_id={self.correlation_id}")
        return f"{self.message} [{', '.join(context)}]"


class ConfigurationError(BetdbError):
    """The settings are invalid or unsafe for the environment."""


class StatementCacheError(ConfigurationError):
    """A prepared statement of the driver's cache was missing or already there on the server
    (26000, 42P05): a pooler in transaction mode moved the session; betdb never names its own."""


class SchemaMismatchError(ConfigurationError):
    """The database holds what the generated code does not know (an enum label added by a
    migration after the code was generated): regenerate the code (`make generate`)."""


class ValidationError(BetdbError, ValueError):
    """A parameter was rejected before any SQL ran."""

    def __init__(self, message: str, *, errors: Sequence[Any] = (), **kw: Any) -> None:
        super().__init__(message, **kw)
        self.errors = list(errors)


class DatabaseUnavailableError(BetdbError):
    """No connection could be made, or the circuit breaker is open and fails fast."""


class ConnectionLostError(BetdbError):
    """The connection broke while a statement ran; nothing was committed."""


class OutcomeUnknownError(ConnectionLostError):
    """The connection broke during COMMIT or a write outside a transaction: it may have applied."""


class QueryTimeoutError(BetdbError):
    """A statement ran past its timeout and was cancelled on the server."""


class WriteTimeoutError(QueryTimeoutError, OutcomeUnknownError):
    """A COMMIT or a write outside a transaction timed out on the client: the cancel can arrive
    after the server finished, so it may have applied. Caught as either parent."""


class QueryError(BetdbError):
    """The server rejected the statement (bad data, a missing object, a syntax error, ...)."""


class DataError(QueryError):
    """A value did not fit its type on the server (SQLSTATE class 22): out of range, a NUL
    byte in text, text that does not parse as the type it is cast to, an unknown time zone."""


class IntegrityError(QueryError):
    """A constraint was violated; nothing was written."""

    def __init__(
        self,
        message: str,
        *,
        constraint: str | None = None,
        table: str | None = None,
        column: str | None = None,
        detail: str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(message, **kw)
        self.constraint = constraint
        self.table = table
        self.column = column
        self.detail = detail

    def __str__(self) -> str:
        named = {"constraint": self.constraint, "table": self.table, "column": self.column}
        parts = ", ".join(f"{key}={value}" for key, value in named.items() if value)
        return f"{super().__str__()} ({parts})" if parts else super().__str__()


class UniqueViolationError(IntegrityError):
    pass


class ForeignKeyViolationError(IntegrityError):
    pass


class CheckViolationError(IntegrityError):
    pass


class NotNullViolationError(IntegrityError):
    pass


class ExclusionViolationError(IntegrityError):
    pass


class PermissionDeniedError(QueryError):
    """The role lacks the privilege (42501): the application role cannot change the schema."""


class SerializationError(BetdbError):
    """The transaction lost a serialization conflict (40001) or a deadlock (40P01): retry it."""


class DeadlockError(SerializationError):
    pass


class TransactionError(BetdbError):
    """A transaction was used wrongly (for example, a cursor outside one)."""

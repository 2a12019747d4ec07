"""One exception hierarchy for everything betdb raises, mapped from SQLSTATE, never from text.

Every error carries the query name (from the SQL's ``-- name:`` line) and the correlation id of
the unit of work it happened in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import asyncpg
import pydantic

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


_INTEGRITY_BY_SQLSTATE: dict[str, type[IntegrityError]] = {
    "23505": UniqueViolationError,
    "23503": ForeignKeyViolationError,
    "23514": CheckViolationError,
    "23502": NotNullViolationError,
    "23P01": ExclusionViolationError,
}

# The server is going away or is not there: the connection cannot be trusted any more.
_CONNECTION_SQLSTATES = {"57P01", "57P02", "57P03", "57P05"}


def is_connection_loss(error: BaseException) -> bool:
    """Every shape asyncpg gives a dropped connection, by type and SQLSTATE class."""
    if isinstance(error, TimeoutError | QueryTimeoutError):
        # TimeoutError is an OSError since 3.10, and WriteTimeoutError an OutcomeUnknownError,
        # but in both the client gave up and the connection is fine.
        return False
    if isinstance(error, ConnectionLostError):
        return True
    if isinstance(error, asyncpg.PostgresConnectionError | ConnectionError | OSError):
        return True
    if isinstance(error, asyncpg.PostgresError):
        sqlstate = getattr(error, "sqlstate", None) or ""
        return sqlstate.startswith("08") or sqlstate in _CONNECTION_SQLSTATES
    if isinstance(error, asyncpg.InterfaceError):
        # asyncpg has no subclass for a dead connection. When the server side goes away, the
        # pool also detaches the proxy the executor holds, hence "released back to the pool"
        # (betdb's executors never use a connection after releasing it themselves).
        text = str(error)
        return any(
            phrase in text
            for phrase in ("connection is closed", "connection was closed", "released back to")
        )
    return False


def translate(
    error: BaseException,
    *,
    query: str | None = None,
    outcome_unknown: bool = False,
) -> BetdbError:
    """The betdb error for an exception raised by asyncpg, asyncio or pydantic."""
    if isinstance(error, BetdbError):
        if query and error.query is None:
            error.query = query
        return error
    kw: dict[str, Any] = {"query": query}
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate:
        kw["sqlstate"] = sqlstate
    if isinstance(error, pydantic.ValidationError):
        return ValidationError(
            f"invalid parameters: {error}", errors=error.errors(include_url=False), **kw
        )
    if isinstance(error, asyncpg.DataError) and error.severity is None:
        # The driver could not encode a parameter (an int out of its column's range, a lone
        # surrogate in text) and sent nothing; a server error always carries a severity.
        kw.pop("sqlstate", None)
        return ValidationError(f"invalid parameter: {error}", **kw)
    if isinstance(error, OverflowError | UnicodeEncodeError):
        # COPY encodes its rows in the driver without that wrapper; the copy is abandoned.
        return ValidationError(f"invalid value: {type(error).__name__}: {error}", **kw)
    if is_connection_loss(error):
        kind = OutcomeUnknownError if outcome_unknown else ConnectionLostError
        note = " (the write may or may not have been applied)" if outcome_unknown else ""
        return kind(f"connection lost: {type(error).__name__}: {error}{note}", **kw)
    if isinstance(error, TimeoutError | asyncio.TimeoutError):
        # The client gave up and sent a cancel request, which can arrive after the end.
        if outcome_unknown:
            return WriteTimeoutError(
                "the statement timed out and was cancelled (a write: it may have ended before "
                "the cancel)",
                **kw,
            )
        return QueryTimeoutError("the statement timed out and was cancelled", **kw)
    if isinstance(error, asyncpg.PostgresError):
        return _from_sqlstate(error, sqlstate or "", kw)
    if isinstance(error, asyncpg.InterfaceError):
        return TransactionError(f"{type(error).__name__}: {error}", **kw)
    return QueryError(f"{type(error).__name__}: {error}", **kw)


def _from_sqlstate(error: asyncpg.PostgresError, sqlstate: str, kw: dict[str, Any]) -> BetdbError:
    message = error.args[0] if error.args else type(error).__name__
    integrity = _INTEGRITY_BY_SQLSTATE.get(sqlstate)
    if integrity is not None or sqlstate.startswith("23"):
        return (integrity or IntegrityError)(
            str(message),
            constraint=getattr(error, "constraint_name", None),
            table=getattr(error, "table_name", None),
            column=getattr(error, "column_name", None),
            detail=getattr(error, "detail", None),
            **kw,
        )
    if sqlstate == "40P01":
        return DeadlockError(str(message), **kw)
    if sqlstate.startswith("40"):
        return SerializationError(str(message), **kw)
    if sqlstate == "42501":
        return PermissionDeniedError(str(message), **kw)
    if sqlstate.startswith("22"):
        return DataError(str(message), **kw)
    if sqlstate in {"26000", "42P05"}:
        return StatementCacheError(
            f"{message.splitlines()[0] if isinstance(message, str) else message}: the prepared "
            "statement cache does not survive PgBouncer in transaction mode; set "
            "BETDB_PGBOUNCER_POOL_MODE=transaction (statement cache off)",
            **kw,
        )
    if sqlstate == "57014":
        return QueryTimeoutError(f"the statement was cancelled: {message}", **kw)
    if sqlstate.startswith("53"):
        return DatabaseUnavailableError(f"the server is out of resources: {message}", **kw)
    return QueryError(str(message), **kw)

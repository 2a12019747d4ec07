"""Which betdb error a failure is, decided once for both drivers.

A driver module (``_asyncpg_errors``, ``_psycopg_errors``) reads the facts off its own
exceptions into a :class:`Failure`; :func:`decide` turns the facts into the betdb error. The
rules for a lost COMMIT (outcome unknown) and for server errors (by SQLSTATE) live here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import pydantic

from betdb.errors import (
    BetdbError,
    CheckViolationError,
    ConnectionLostError,
    DatabaseUnavailableError,
    DataError,
    DeadlockError,
    ExclusionViolationError,
    ForeignKeyViolationError,
    IntegrityError,
    NotNullViolationError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QueryError,
    QueryTimeoutError,
    SchemaMismatchError,
    SerializationError,
    StatementCacheError,
    TransactionError,
    UniqueViolationError,
    ValidationError,
    WriteTimeoutError,
)
from betdb.generated.db import UnknownLabelError


class Kind(Enum):
    SERVER = "server"  # the server answered with an error (SQLSTATE known)
    CONNECTION_LOST = "connection_lost"
    CLIENT_TIMEOUT = "client_timeout"  # the client gave up waiting and cancelled
    BAD_PARAMETER = "bad_parameter"  # the driver could not encode a value and sent nothing
    MISUSE = "misuse"  # the driver refused a call (e.g. on a connection in the wrong state)
    OTHER = "other"


@dataclass(frozen=True)
class Failure:
    """What went wrong, in the words of neither driver."""

    kind: Kind
    message: str
    sqlstate: str | None = None
    constraint: str | None = None
    table: str | None = None
    column: str | None = None
    detail: str | None = None


_INTEGRITY_BY_SQLSTATE: dict[str, type[IntegrityError]] = {
    "23505": UniqueViolationError,
    "23503": ForeignKeyViolationError,
    "23514": CheckViolationError,
    "23502": NotNullViolationError,
    "23P01": ExclusionViolationError,
}

# The server is going away or is not there: the connection cannot be trusted any more.
_CONNECTION_SQLSTATES = {"57P01", "57P02", "57P03", "57P05"}


def is_connection_sqlstate(sqlstate: str | None) -> bool:
    """Whether a server error says the connection is gone (class 08, or the server leaving)."""
    if not sqlstate:
        return False
    return sqlstate.startswith("08") or sqlstate in _CONNECTION_SQLSTATES


def is_lost(failure: Failure) -> bool:
    return failure.kind is Kind.CONNECTION_LOST or (
        failure.kind is Kind.SERVER and is_connection_sqlstate(failure.sqlstate)
    )


def passthrough(error: BaseException, query: str | None) -> BetdbError | None:
    """A failure that needs no driver to read: betdb's own errors and pydantic's."""
    if isinstance(error, BetdbError):
        if query and error.query is None:
            error.query = query
        return error
    if isinstance(error, pydantic.ValidationError):
        return ValidationError(
            f"invalid parameters: {error}", errors=error.errors(include_url=False), query=query
        )
    if isinstance(error, UnknownLabelError):
        return SchemaMismatchError(str(error), query=query)
    if isinstance(error, OverflowError | UnicodeEncodeError):
        # COPY encodes its rows in the driver without a wrapper; the copy is abandoned.
        return ValidationError(f"invalid value: {type(error).__name__}: {error}", query=query)
    return None


def decide(failure: Failure, *, query: str | None, outcome_unknown: bool) -> BetdbError:
    """The betdb error for the failure. ``outcome_unknown`` says a write may have reached the
    server and committed (a COMMIT, or a write outside a transaction): a lost connection or a
    client timeout is then OutcomeUnknownError, as nobody knows whether it applied."""
    kw: dict[str, Any] = {"query": query}
    if failure.sqlstate:
        kw["sqlstate"] = failure.sqlstate
    if failure.kind is Kind.BAD_PARAMETER:
        kw.pop("sqlstate", None)
        return ValidationError(f"invalid parameter: {failure.message}", **kw)
    if is_lost(failure):
        kind = OutcomeUnknownError if outcome_unknown else ConnectionLostError
        note = " (the write may or may not have been applied)" if outcome_unknown else ""
        return kind(f"connection lost: {failure.message}{note}", **kw)
    if failure.kind is Kind.CLIENT_TIMEOUT:
        # The client gave up and sent a cancel request, which can arrive after the end.
        if outcome_unknown:
            return WriteTimeoutError(
                "the statement timed out and was cancelled (a write: it may have ended before "
                "the cancel)",
                **kw,
            )
        return QueryTimeoutError("the statement timed out and was cancelled", **kw)
    if failure.kind is Kind.SERVER:
        return _from_sqlstate(failure, kw)
    if failure.kind is Kind.MISUSE:
        return TransactionError(failure.message, **kw)
    return QueryError(failure.message, **kw)


def _from_sqlstate(failure: Failure, kw: dict[str, Any]) -> BetdbError:
    sqlstate, message = failure.sqlstate or "", failure.message
    integrity = _INTEGRITY_BY_SQLSTATE.get(sqlstate)
    if integrity is not None or sqlstate.startswith("23"):
        return (integrity or IntegrityError)(
            message,
            constraint=failure.constraint,
            table=failure.table,
            column=failure.column,
            detail=failure.detail,
            **kw,
        )
    if sqlstate == "40P01":
        return DeadlockError(message, **kw)
    if sqlstate.startswith("40"):
        return SerializationError(message, **kw)
    if sqlstate == "42501":
        return PermissionDeniedError(message, **kw)
    if sqlstate.startswith("22"):
        return DataError(message, **kw)
    if sqlstate in {"26000", "42P05"}:
        first_line = message.splitlines()[0] if message else sqlstate
        return StatementCacheError(
            f"{first_line}: the prepared statement cache does not survive PgBouncer in"
            " transaction mode; set BETDB_PGBOUNCER_POOL_MODE=transaction (statement cache off)",
            **kw,
        )
    if sqlstate == "57014":
        return QueryTimeoutError(f"the statement was cancelled: {message}", **kw)
    if sqlstate.startswith("53"):
        return DatabaseUnavailableError(f"the server is out of resources: {message}", **kw)
    return QueryError(message, **kw)


def is_betdb_connection_loss(error: BaseException) -> bool:
    """Whether an already translated error says the connection broke (a client timeout does
    not: the client gave up and the connection is fine)."""
    return isinstance(error, ConnectionLostError) and not isinstance(error, QueryTimeoutError)

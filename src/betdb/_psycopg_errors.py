"""psycopg's exceptions read as driver-neutral facts (``betdb._translate`` decides the rest),
so that a statement fails with the same betdb error whichever driver ran it.

psycopg raises its OperationalError without a SQLSTATE when the connection broke, and the
connection's own state (closed or broken) says so too: no error is read by its text.
"""

from __future__ import annotations

from typing import Any

import psycopg

from betdb._translate import (
    Failure,
    Kind,
    decide,
    is_betdb_connection_loss,
    is_connection_sqlstate,
    is_lost,
    passthrough,
)
from betdb.errors import BetdbError


def describe(
    error: BaseException, *, connection_closed: bool = False, timed_out: bool = False
) -> Failure:
    """The facts of an exception raised by psycopg (or the socket under it). ``timed_out``:
    betdb's watchdog gave up on the statement, so a connection it broke is a client timeout."""
    named = f"{type(error).__name__}: {error}"
    if isinstance(error, psycopg.Error) and error.sqlstate:
        sqlstate = error.sqlstate
        if is_connection_sqlstate(sqlstate):
            return Failure(Kind.CONNECTION_LOST, named, sqlstate=sqlstate)
        diag = error.diag
        return Failure(
            Kind.SERVER,
            diag.message_primary or str(error),
            sqlstate=sqlstate,
            constraint=diag.constraint_name,
            table=diag.table_name,
            column=diag.column_name,
            detail=diag.message_detail,
        )
    lost = connection_closed or isinstance(error, psycopg.OperationalError | OSError)
    if lost and timed_out:
        return Failure(Kind.CLIENT_TIMEOUT, named)
    if isinstance(error, TimeoutError):
        return Failure(Kind.CLIENT_TIMEOUT, named)
    if lost:
        return Failure(Kind.CONNECTION_LOST, named)
    if isinstance(error, psycopg.DataError):
        # psycopg refused to send a value (a NUL byte in text, say) and nothing was sent.
        return Failure(Kind.BAD_PARAMETER, str(error))
    if isinstance(error, psycopg.InterfaceError):
        return Failure(Kind.MISUSE, named)
    return Failure(Kind.OTHER, named)


def translate(
    error: BaseException,
    *,
    query: str | None = None,
    outcome_unknown: bool = False,
    connection_closed: bool = False,
    timed_out: bool = False,
) -> BetdbError:
    """The betdb error for an exception raised by psycopg or pydantic."""
    known = passthrough(error, query)
    if known is not None:
        return known
    return decide(
        describe(error, connection_closed=connection_closed, timed_out=timed_out),
        query=query,
        outcome_unknown=outcome_unknown,
    )


def is_connection_loss(error: BaseException, *, connection_closed: bool = False) -> bool:
    """Whether the connection the error happened on can no longer be trusted."""
    if isinstance(error, BetdbError):
        return is_betdb_connection_loss(error)
    return is_lost(describe(error, connection_closed=connection_closed))


def is_closed(connection: Any) -> bool:
    """Whether the connection is gone (closed by us, or broken under us)."""
    return bool(connection.closed or connection.broken)

"""asyncpg's exceptions read as driver-neutral facts (``betdb._translate`` decides the rest).

asyncpg has no exception class for a dead connection: its InterfaceError is also what a wrong
call raises. The caller, who holds the connection, says whether it died (``connection_closed``,
from the connection's state), so no error is ever read by its text.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

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


def describe(error: BaseException, *, connection_closed: bool = False) -> Failure:
    """The facts of an exception raised by asyncpg (or the socket and asyncio under it)."""
    named = f"{type(error).__name__}: {error}"
    if isinstance(error, asyncpg.PostgresError):
        sqlstate: str | None = getattr(error, "sqlstate", None)
        if isinstance(error, asyncpg.DataError) and error.severity is None:
            # The driver could not encode a parameter (an int out of its column's range, a lone
            # surrogate in text) and sent nothing; a server error always carries a severity.
            return Failure(Kind.BAD_PARAMETER, str(error))
        if isinstance(error, asyncpg.PostgresConnectionError) or is_connection_sqlstate(sqlstate):
            return Failure(Kind.CONNECTION_LOST, named, sqlstate=sqlstate)
        return Failure(
            Kind.SERVER,
            str(error.args[0]) if error.args else type(error).__name__,
            sqlstate=sqlstate,
            constraint=getattr(error, "constraint_name", None),
            table=getattr(error, "table_name", None),
            column=getattr(error, "column_name", None),
            detail=getattr(error, "detail", None),
        )
    if connection_closed:
        # Whatever asyncpg raised on a connection that died under it (an InterfaceError, even
        # an InternalClientError "another operation is in progress"), the connection was lost.
        return Failure(Kind.CONNECTION_LOST, named, sqlstate=getattr(error, "sqlstate", None))
    if isinstance(error, TimeoutError | asyncio.TimeoutError):
        # TimeoutError is an OSError since 3.10: the client gave up; the connection is fine.
        return Failure(Kind.CLIENT_TIMEOUT, named)
    if isinstance(error, ConnectionError | OSError):
        return Failure(Kind.CONNECTION_LOST, named)
    if isinstance(error, asyncpg.InterfaceError):
        return Failure(Kind.MISUSE, named)
    return Failure(Kind.OTHER, named)


def translate(
    error: BaseException,
    *,
    query: str | None = None,
    outcome_unknown: bool = False,
    connection_closed: bool = False,
) -> BetdbError:
    """The betdb error for an exception raised by asyncpg, asyncio or pydantic."""
    known = passthrough(error, query)
    if known is not None:
        return known
    return decide(
        describe(error, connection_closed=connection_closed),
        query=query,
        outcome_unknown=outcome_unknown,
    )


def is_connection_loss(error: BaseException, *, connection_closed: bool = False) -> bool:
    """Whether the connection the error happened on can no longer be trusted."""
    if isinstance(error, BetdbError):
        return is_betdb_connection_loss(error)
    return is_lost(describe(error, connection_closed=connection_closed))


def is_closed(connection: Any) -> bool:
    """Whether the connection is gone; a pooled proxy the pool took back counts as gone."""
    try:
        return bool(connection.is_closed())
    except asyncpg.InterfaceError:
        return True  # the pool already detached the dead connection from its proxy


async def closed_under(connection: Any, error: BaseException) -> bool:
    """Whether a driver-side error came from the connection dying, giving asyncpg a moment to
    notice the server left (server errors prove the connection is alive)."""
    if connection is None or isinstance(error, asyncpg.PostgresError):
        return False
    for _ in range(3):
        if is_closed(connection):
            return True
        await asyncio.sleep(0.01)
    return False

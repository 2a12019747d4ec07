"""Executors the generated queriers run on: asyncpg's pool or one transaction's connection,
with errors translated, reads retried, the breaker consulted, and every query timed.

They offer the methods the generated code calls (fetch, fetchrow, fetchval, execute,
executemany, copy_records_to_table, cursor) plus ``transaction()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg

from betdb._breaker import BreakerState
from betdb._observability import monotonic
from betdb.errors import (
    BetdbError,
    ConnectionLostError,
    DatabaseUnavailableError,
    TransactionError,
    is_connection_loss,
    translate,
)

if TYPE_CHECKING:
    from betdb._database import Database

logger = logging.getLogger("betdb.query")
T = TypeVar("T")

_NAME_LINE = re.compile(r"^--\s*name:\s*(\S+)")
_WRITE_WORDS = re.compile(
    r"\b(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|ALTER|DROP|TRUNCATE|CALL)\b", re.I
)
_READ_START = re.compile(r"^\s*(SELECT|WITH|VALUES|TABLE|SHOW)\b", re.I)
_STATUS_COUNT = re.compile(r"(\d+)$")


# Both run on every statement; the SQL constants are few, so each text is parsed once.
@functools.lru_cache(maxsize=1024)
def query_name(sql: str) -> str:
    """The name from the SQL's ``-- name:`` line, else the statement's first word."""
    match = _NAME_LINE.match(sql)
    if match:
        return match.group(1)
    stripped = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    words = stripped.split(None, 1)
    return f"<{words[0].upper()}>" if words else "<empty>"


@functools.lru_cache(maxsize=1024)
def is_read_only(sql: str) -> bool:
    """Whether the statement only reads, so running it twice is harmless."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return bool(_READ_START.match(body)) and not _WRITE_WORDS.search(body)


def _copy_label(table_name: str) -> str:
    """What a COPY is named in logs and metrics (it has no SQL of its own)."""
    return f"-- name: copy:{table_name}\nCOPY {table_name}"


def _row_count(result: Any) -> int | None:
    if isinstance(result, list):
        return len(result)
    if isinstance(result, asyncpg.Record):
        return 1
    if isinstance(result, str):
        match = _STATUS_COUNT.search(result)
        return int(match.group(1)) if match else None
    return None


async def _is_dead(connection: Any) -> bool:
    """Whether the connection is gone, giving asyncpg a moment to notice the server left."""
    if connection is None:
        return False
    for _ in range(3):
        try:
            if connection.is_closed():
                return True
        except asyncpg.InterfaceError:
            return True  # the pool already took the dead connection back
        await asyncio.sleep(0.01)
    return False


async def _as_seen_on(connection: Any, error: Exception) -> Exception:
    """A driver-side error on a connection that died under it is a connection loss, whatever
    the text: asyncpg reports this race in several shapes (after a backend's FATAL, even an
    InternalClientError "another operation is in progress")."""
    if not isinstance(error, asyncpg.PostgresError) and await _is_dead(connection):
        return ConnectionResetError(f"{type(error).__name__}: {error}")
    return error


class _Instrumented:
    """Timing, logging, metrics and error translation shared by both executors."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def _timed(
        self,
        sql: str,
        call: Callable[[], Awaitable[T]],
        *,
        outcome_unknown_on_loss: bool,
        connection: Any = None,
    ) -> T:
        name = query_name(sql)
        started = monotonic()
        failed = True
        rows: int | None = None
        try:
            with self._db.tracer.span(name) as span:
                try:
                    result = await call()
                except BaseException as error:
                    if not isinstance(error, Exception):
                        raise
                    raise translate(
                        await _as_seen_on(connection, error),
                        query=name,
                        outcome_unknown=outcome_unknown_on_loss,
                    ) from error
                failed = False
                rows = _row_count(result)
                span.returned_rows(rows)
                return result
        finally:
            self._db.record_query(name, monotonic() - started, rows=rows, failed=failed)


class PoolExecutor(_Instrumented):
    """Runs each statement on a connection from an asyncpg pool.

    Reads are retried on connection loss with bounded exponential backoff and jitter; a write
    is never retried, and a write whose connection broke raises OutcomeUnknownError.
    """

    def __init__(self, database: Database, pool: asyncpg.Pool, *, role: str = "primary") -> None:
        super().__init__(database)
        self._pool = pool
        self.role = role

    async def _on_connection(
        self, sql: str, operation: Callable[[asyncpg.Connection], Awaitable[T]]
    ) -> T:
        read_only = is_read_only(sql)
        settings = self._db.settings
        attempts = 1 + (settings.retry_attempts if read_only else 0)
        cached_plan_retried = False
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._once(sql, operation, read_only=read_only)
            except BetdbError as error:
                stale_plan = isinstance(error.__cause__, asyncpg.InvalidCachedStatementError)
                if stale_plan and not cached_plan_retried:
                    cached_plan_retried = True  # a migration changed a table under a cached plan
                    attempt -= 1
                    continue
                retryable = isinstance(error, ConnectionLostError | DatabaseUnavailableError)
                if not read_only or not retryable or attempt >= attempts:
                    raise
                if self._db.breaker_for(self.role).state is not BreakerState.CLOSED:
                    raise
                logger.info(
                    "retrying %s after %s (attempt %d of %d)",
                    query_name(sql),
                    type(error).__name__,
                    attempt + 1,
                    attempts,
                )
                await asyncio.sleep(settings.backoff_delay(attempt))

    async def _once(
        self,
        sql: str,
        operation: Callable[[asyncpg.Connection], Awaitable[T]],
        *,
        read_only: bool,
    ) -> T:
        async with self._db.connection(self._pool, role=self.role) as connection:
            return await self._timed(
                sql,
                lambda: operation(connection),
                outcome_unknown_on_loss=not read_only,
                connection=connection,
            )

    # record_class: the typed Record subclass a generated query asks the driver to build.
    async def fetch(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> list[Any]:
        return await self._on_connection(
            query, lambda c: c.fetch(query, *args, timeout=timeout, record_class=record_class)
        )

    async def fetchrow(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> Any:
        return await self._on_connection(
            query, lambda c: c.fetchrow(query, *args, timeout=timeout, record_class=record_class)
        )

    async def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Any:
        return await self._on_connection(
            query, lambda c: c.fetchval(query, *args, column=column, timeout=timeout)
        )

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        return await self._on_connection(query, lambda c: c.execute(query, *args, timeout=timeout))

    async def executemany(
        self, command: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> None:
        await self._on_connection(command, lambda c: c.executemany(command, args, timeout=timeout))

    async def fetchmany(
        self,
        query: str,
        args: Iterable[Any],
        *,
        timeout: float | None = None,
        record_class: Any = None,
    ) -> list[Any]:
        return await self._on_connection(
            query, lambda c: c.fetchmany(query, args, timeout=timeout, record_class=record_class)
        )

    async def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[Any]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
        timeout: float | None = None,
        where: str | None = None,
    ) -> str:
        return await self._on_connection(
            _copy_label(table_name),
            lambda c: c.copy_records_to_table(
                table_name,
                records=records,
                columns=columns,
                schema_name=schema_name,
                timeout=timeout,
                where=where,
            ),
        )

    def cursor(
        self, query: str, *args: Any, prefetch: int | None = None, record_class: Any = None
    ) -> Any:
        raise TransactionError(
            "a server-side cursor needs a transaction: use `async with db.transaction() as tx`",
            query=query_name(query),
        )

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> AsyncIterator[TransactionExecutor]:
        async with self._db.connection(self._pool, role=self.role) as connection:
            executor = TransactionExecutor(self._db, connection)
            async with executor.transaction(
                isolation=isolation, readonly=readonly, deferrable=deferrable
            ) as inner:
                yield inner


class TransactionExecutor(_Instrumented):
    """Runs statements on one connection inside a transaction; nothing is retried here.

    ``transaction()`` starts the transaction, or a savepoint when one is already open. A broken
    connection during COMMIT raises OutcomeUnknownError; during the body, ConnectionLostError
    (the server rolls back what it had).
    """

    def __init__(self, database: Database, connection: asyncpg.Connection) -> None:
        super().__init__(database)
        self.connection = connection

    async def _run(self, sql: str, call: Callable[[], Awaitable[T]]) -> T:
        return await self._timed(
            sql, call, outcome_unknown_on_loss=False, connection=self.connection
        )

    async def fetch(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> list[Any]:
        return await self._run(
            query,
            lambda: self.connection.fetch(query, *args, timeout=timeout, record_class=record_class),
        )

    async def fetchrow(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> Any:
        return await self._run(
            query,
            lambda: self.connection.fetchrow(
                query, *args, timeout=timeout, record_class=record_class
            ),
        )

    async def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Any:
        return await self._run(
            query,
            lambda: self.connection.fetchval(query, *args, column=column, timeout=timeout),
        )

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        return await self._run(
            query, lambda: self.connection.execute(query, *args, timeout=timeout)
        )

    async def executemany(
        self, command: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> None:
        await self._run(
            command, lambda: self.connection.executemany(command, args, timeout=timeout)
        )

    async def fetchmany(
        self,
        query: str,
        args: Iterable[Any],
        *,
        timeout: float | None = None,
        record_class: Any = None,
    ) -> list[Any]:
        return await self._run(
            query,
            lambda: self.connection.fetchmany(
                query, args, timeout=timeout, record_class=record_class
            ),
        )

    def is_in_transaction(self) -> bool:
        return self.connection.is_in_transaction()

    async def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[Any]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
        timeout: float | None = None,
        where: str | None = None,
    ) -> str:
        return await self._run(
            _copy_label(table_name),
            lambda: self.connection.copy_records_to_table(
                table_name,
                records=records,
                columns=columns,
                schema_name=schema_name,
                timeout=timeout,
                where=where,
            ),
        )

    def cursor(
        self, query: str, *args: Any, prefetch: int | None = None, record_class: Any = None
    ) -> Any:
        if not self.connection.is_in_transaction():
            raise TransactionError(
                "a server-side cursor needs an open transaction", query=query_name(query)
            )
        return self.connection.cursor(query, *args, prefetch=prefetch, record_class=record_class)

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> AsyncIterator[TransactionExecutor]:
        nested = self.connection.is_in_transaction()
        transaction = self.connection.transaction(
            isolation=None if nested else isolation,  # type: ignore[arg-type]
            readonly=readonly,
            deferrable=deferrable,
        )
        try:
            await transaction.start()
        except Exception as error:
            raise translate(await _as_seen_on(self.connection, error), query="BEGIN") from error
        try:
            yield self
        except BaseException as body_error:
            with contextlib.suppress(Exception):
                await transaction.rollback()
            foreign = isinstance(body_error, Exception) and not isinstance(body_error, BetdbError)
            if foreign and is_connection_loss(body_error):
                raise translate(body_error) from body_error
            raise
        try:
            await transaction.commit()
        except Exception as raised:
            # A COMMIT whose connection broke or that timed out on the client may have applied:
            # translate makes that OutcomeUnknownError (or WriteTimeoutError).
            raise translate(
                await _as_seen_on(self.connection, raised),
                query="RELEASE SAVEPOINT" if nested else "COMMIT",
                outcome_unknown=not nested,
            ) from raised

"""Executors the generated queriers run on: asyncpg's pool or one transaction's connection,
with errors translated, reads retried, the breaker consulted, and every query timed; and the
routed executor that sends reads to a replica.

They offer the methods the generated code calls (fetch, fetchrow, fetchval, execute,
executemany, copy_records_to_table, cursor) plus ``transaction()``. They depend on a Runtime
and a connection source, never on the Database that made them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Sequence
from typing import Any, TypeVar

import asyncpg

from betdb._asyncpg_errors import closed_under, is_closed, is_connection_loss, translate
from betdb._command_timeout import CommandDeadlines
from betdb._connections import PooledConnections, choose_replica
from betdb._observability import monotonic
from betdb._policy import ReadRetry
from betdb._replicas import ReplicaSet
from betdb._runtime import PRIMARY, Runtime, replica_role
from betdb._statements import copy_label, is_read_only, query_name, status_row_count
from betdb.errors import (
    BetdbError,
    ConnectionLostError,
    DatabaseUnavailableError,
    TransactionError,
)

logger = logging.getLogger("betdb.query")
T = TypeVar("T")


def _row_count(result: Any) -> int | None:
    if isinstance(result, list):
        return len(result)
    if isinstance(result, asyncpg.Record):
        return 1
    if isinstance(result, str):
        return status_row_count(result)
    return None


class _Instrumented:
    """Timing, logging, metrics and error translation shared by both executors."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def _timed(
        self,
        sql: str,
        operation: Callable[[Any], Awaitable[T]],
        connection: Any,
        *,
        outcome_unknown_on_loss: bool,
    ) -> T:
        runtime = self._runtime
        name = query_name(sql)
        started = monotonic()
        failed = True
        rows: int | None = None
        try:
            with runtime.tracer.span(name) as span:
                try:
                    result = await operation(connection)
                except BaseException as error:
                    if not isinstance(error, Exception):
                        raise
                    raise translate(
                        error,
                        query=name,
                        outcome_unknown=outcome_unknown_on_loss,
                        connection_closed=await closed_under(connection, error),
                    ) from error
                failed = False
                rows = _row_count(result)
                span.returned_rows(rows)
                return result
        finally:
            runtime.record_query(name, monotonic() - started, rows=rows, failed=failed)


class PoolExecutor(_Instrumented):
    """Runs each statement on a connection from an asyncpg pool.

    Reads are retried on connection loss with bounded exponential backoff and jitter; a write
    is never retried, and a write whose connection broke raises OutcomeUnknownError.
    """

    def __init__(
        self,
        runtime: Runtime,
        pool: asyncpg.Pool,
        *,
        role: str = PRIMARY,
        deadlines: CommandDeadlines | None = None,
    ) -> None:
        super().__init__(runtime)
        self._connections = PooledConnections(runtime, pool, role=role, deadlines=deadlines)
        self.deadlines = self._connections.deadlines
        self.role = role

    async def _on_connection(
        self,
        sql: str,
        call: Callable[[asyncpg.Connection], Awaitable[T]],
        timeout: float | None = None,
    ) -> T:
        # One attempt is written out in this one frame, not layered in coroutines of its own:
        # every layer costs each statement at each of its awaits.
        runtime, connections, deadlines = self._runtime, self._connections, self.deadlines
        name = query_name(sql)
        retry: ReadRetry | None = None  # made on the first failure: the happy path needs none
        cached_plan_retried = False
        attempt = 0
        while True:
            attempt += 1
            try:
                connection = await connections.acquire()
                started = monotonic()
                rows: int | None = None
                checkout = None
                try:
                    if deadlines is not None and timeout is None:  # else asyncpg keeps its own
                        checkout = deadlines.start(connection, started)
                    with runtime.tracer.span(name) as span:
                        try:
                            result = await call(connection)
                        except BaseException as raised:
                            error = (
                                raised if checkout is None else checkout.statement_failed(raised)
                            )
                            if not isinstance(error, Exception):
                                raise
                            raise translate(
                                error,
                                query=name,
                                outcome_unknown=not is_read_only(sql),
                                connection_closed=await closed_under(connection, error),
                            ) from error
                        if checkout is not None:
                            checkout.statement_done()
                        rows = _row_count(result)
                        span.returned_rows(rows)
                except BaseException as error:
                    runtime.record_query(name, monotonic() - started, rows=rows, failed=True)
                    await connections.release(connection, error)
                    raise
                runtime.record_query(name, monotonic() - started, rows=rows, failed=False)
                await connections.release(connection)
                if checkout is not None:
                    checkout.released()
                return result
            except BetdbError as error:
                stale_plan = isinstance(error.__cause__, asyncpg.InvalidCachedStatementError)
                if stale_plan and not cached_plan_retried:
                    cached_plan_retried = True  # a migration changed a table under a cached plan
                    attempt -= 1
                    continue
                retry = retry or ReadRetry(runtime.settings, read_only=is_read_only(sql))
                delay = retry.delay(error, attempt=attempt, breaker=runtime.breaker(self.role))
                if delay is None:
                    raise
                logger.info(
                    "retrying %s after %s (attempt %d of %d)",
                    name,
                    type(error).__name__,
                    attempt + 1,
                    retry.attempts,
                )
                await asyncio.sleep(delay)

    # Each returns the attempt's coroutine rather than awaiting it in a coroutine of its own:
    # one frame fewer at every await of every statement.
    # record_class: the typed Record subclass a generated query asks the driver to build.
    def fetch(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> Coroutine[Any, Any, list[Any]]:
        return self._on_connection(
            query,
            lambda c: c.fetch(query, *args, timeout=timeout, record_class=record_class),
            timeout,
        )

    def fetchrow(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> Coroutine[Any, Any, Any]:
        return self._on_connection(
            query,
            lambda c: c.fetchrow(query, *args, timeout=timeout, record_class=record_class),
            timeout,
        )

    def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Coroutine[Any, Any, Any]:
        return self._on_connection(
            query, lambda c: c.fetchval(query, *args, column=column, timeout=timeout), timeout
        )

    def execute(
        self, query: str, *args: Any, timeout: float | None = None
    ) -> Coroutine[Any, Any, str]:
        return self._on_connection(
            query, lambda c: c.execute(query, *args, timeout=timeout), timeout
        )

    def executemany(
        self, command: str, args: Iterable[Sequence[Any]], *, timeout: float | None = None
    ) -> Coroutine[Any, Any, None]:
        return self._on_connection(
            command, lambda c: c.executemany(command, args, timeout=timeout), timeout
        )

    async def fetchmany(
        self,
        query: str,
        args: Iterable[Any],
        *,
        timeout: float | None = None,
        record_class: Any = None,
    ) -> list[Any]:
        return await self._on_connection(
            query,
            lambda c: c.fetchmany(query, args, timeout=timeout, record_class=record_class),
            timeout,
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
            copy_label(table_name),
            lambda c: c.copy_records_to_table(
                table_name,
                records=records,
                columns=columns,
                schema_name=schema_name,
                timeout=timeout,
                where=where,
            ),
            timeout,
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
        async with self._connections.connection() as connection:
            executor = TransactionExecutor(self._runtime, connection)
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

    def __init__(self, runtime: Runtime, connection: asyncpg.Connection) -> None:
        super().__init__(runtime)
        self.connection = connection

    async def _run(self, sql: str, call: Callable[[], Awaitable[T]]) -> T:
        return await self._timed(
            sql, lambda _: call(), self.connection, outcome_unknown_on_loss=False
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
            copy_label(table_name),
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
            raise translate(
                error, query="BEGIN", connection_closed=await closed_under(self.connection, error)
            ) from error
        try:
            yield self
        except BaseException as body_error:
            with contextlib.suppress(Exception):
                await transaction.rollback()
            foreign = isinstance(body_error, Exception) and not isinstance(body_error, BetdbError)
            if foreign and is_connection_loss(
                body_error, connection_closed=is_closed(self.connection)
            ):
                raise translate(body_error, connection_closed=True) from body_error
            raise
        try:
            await transaction.commit()
        except Exception as raised:
            # A COMMIT whose connection broke or that timed out on the client may have applied:
            # translate makes that OutcomeUnknownError (or WriteTimeoutError).
            raise translate(
                raised,
                query="RELEASE SAVEPOINT" if nested else "COMMIT",
                outcome_unknown=not nested,
                connection_closed=await closed_under(self.connection, raised),
            ) from raised


class RoutedExecutor:
    """Sends reads to a healthy replica within the lag bound, and everything else, or any read
    whose replica fails, to the primary."""

    def __init__(
        self, runtime: Runtime, primary: PoolExecutor, replicas: ReplicaSet[asyncpg.Pool]
    ) -> None:
        self._runtime = runtime
        self._replicas = replicas
        self.primary = primary

    async def _route(self, sql: str, call: Callable[[PoolExecutor], Awaitable[T]]) -> T:
        if not is_read_only(sql):
            return await call(self.primary)
        replica = await choose_replica(self._replicas)
        if replica is None or replica.pool is None:
            return await call(self.primary)
        try:
            return await call(
                PoolExecutor(
                    self._runtime,
                    replica.pool,
                    role=replica_role(replica.name),
                    deadlines=self.primary.deadlines,
                )
            )
        except (ConnectionLostError, DatabaseUnavailableError) as error:
            self._replicas.mark_down(replica, error)
            logger.info("read %s falls back to the primary", query_name(sql))
            return await call(self.primary)

    # record_class: the typed Record subclass a generated query asks the driver to build.
    async def fetch(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> list[Any]:
        return await self._route(
            query, lambda e: e.fetch(query, *args, timeout=timeout, record_class=record_class)
        )

    async def fetchrow(
        self, query: str, *args: Any, timeout: float | None = None, record_class: Any = None
    ) -> Any:
        return await self._route(
            query, lambda e: e.fetchrow(query, *args, timeout=timeout, record_class=record_class)
        )

    async def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Any:
        return await self._route(
            query, lambda e: e.fetchval(query, *args, column=column, timeout=timeout)
        )

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        return await self.primary.execute(query, *args, timeout=timeout)

    async def executemany(self, command: str, args: Any, *, timeout: float | None = None) -> None:
        await self.primary.executemany(command, args, timeout=timeout)

    async def fetchmany(
        self, query: str, args: Any, *, timeout: float | None = None, record_class: Any = None
    ) -> list[Any]:
        return await self.primary.fetchmany(query, args, timeout=timeout, record_class=record_class)

    async def copy_records_to_table(self, table_name: str, **kw: Any) -> str:
        return await self.primary.copy_records_to_table(table_name, **kw)

    def cursor(
        self, query: str, *args: Any, prefetch: int | None = None, record_class: Any = None
    ) -> Any:
        return self.primary.cursor(query, *args, prefetch=prefetch, record_class=record_class)

    def transaction(self, **kw: Any) -> contextlib.AbstractAsyncContextManager[TransactionExecutor]:
        return self.primary.transaction(**kw)

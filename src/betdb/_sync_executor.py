"""Sync executors on psycopg 3, the counterparts of ``_executor``: a pool, one transaction's
connection, a bare psycopg connection, and the routed executor that sends reads to a replica.

They meet ``_sync_protocol.SyncExecutor``. Statements run on psycopg's RawCursor, which takes
PostgreSQL's own ``$1`` placeholders, so the generated SQL constants run unchanged; rows are
tuples. Errors are translated, reads retried, the breaker consulted and every query timed by
the same decisions as the async runtime (``_translate``, ``_policy``, ``_breaker``,
``_replicas``).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg

import betdb._psycopg_statements as on_connection
from betdb._observability import monotonic
from betdb._policy import ReadRetry
from betdb._psycopg_errors import is_closed, is_connection_loss, translate
from betdb._replicas import ReplicaSet
from betdb._runtime import PRIMARY, Runtime, replica_role
from betdb._statements import copy_label, is_read_only, query_name
from betdb._sync_connections import SyncPooledConnections, WatchedPool, choose_replica
from betdb._sync_protocol import Row
from betdb._watchdog import Watchdog, disarm
from betdb.errors import (
    BetdbError,
    ConnectionLostError,
    DatabaseUnavailableError,
    TransactionError,
)

logger = logging.getLogger("betdb.query")
T = TypeVar("T")

_ISOLATION = {
    "read_committed": "READ COMMITTED",
    "read_uncommitted": "READ UNCOMMITTED",
    "repeatable_read": "REPEATABLE READ",
    "serializable": "SERIALIZABLE",
}
_savepoints = itertools.count(1)


class _Instrumented:
    """Timing, logging, metrics, spans, the watchdog and error translation of one statement."""

    def __init__(self, runtime: Runtime, watchdog: Watchdog | None) -> None:
        self._runtime = runtime
        self._watchdog = watchdog

    def _timed(
        self,
        sql: str,
        connection: Any,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        outcome_unknown_on_loss: bool,
        timeout: float | None,
    ) -> T:
        runtime = self._runtime
        name = query_name(sql)
        started = monotonic()
        failed = True
        rows: int | None = None
        limit = runtime.settings.command_timeout if timeout is None else timeout
        watchdog = self._watchdog
        try:
            with runtime.tracer.span(name) as span:
                # arm/disarm, not a context manager: this runs for every statement
                alarm = (
                    _NO_ALARM
                    if watchdog is None or limit is None
                    else watchdog.arm(connection, limit)
                )
                try:
                    result, rows = operation(connection)
                except Exception as error:
                    raise translate(
                        error,
                        query=name,
                        outcome_unknown=outcome_unknown_on_loss,
                        connection_closed=is_closed(connection),
                        timed_out=alarm.fired,
                    ) from error
                finally:
                    if alarm is not _NO_ALARM:
                        disarm(alarm)
                failed = False
                span.returned_rows(rows)
                return result
        finally:
            runtime.record_query(name, monotonic() - started, rows=rows, failed=failed)


class _NoAlarm:
    fired = False


_NO_ALARM: Any = _NoAlarm()


@contextlib.contextmanager
def _deadline(watchdog: Watchdog | None, connection: Any, seconds: float | None) -> Iterator[Any]:
    if watchdog is None or seconds is None:
        yield _NoAlarm
        return
    with watchdog.deadline(connection, seconds) as alarm:
        yield alarm


class _Statements:
    """The executor methods, over ``_run`` (what each executor does around one statement)."""

    def _run(
        self,
        sql: str,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        timeout: float | None,
    ) -> T:
        raise NotImplementedError

    def fetch(
        self, query: str, *args: object, timeout: float | None = None, rows: Any = None
    ) -> list[Row]:
        return self._run(
            query, lambda c: on_connection.fetch(c, query, args, rows), timeout=timeout
        )

    def fetchrow(self, query: str, *args: object, timeout: float | None = None) -> Row | None:
        return self._run(query, lambda c: on_connection.fetchrow(c, query, args), timeout=timeout)

    def fetchval(
        self, query: str, *args: object, column: int = 0, timeout: float | None = None
    ) -> Any:
        row = self.fetchrow(query, *args, timeout=timeout)
        return None if row is None else row[column]

    def execute(self, query: str, *args: object, timeout: float | None = None) -> str:
        return self._run(query, lambda c: on_connection.execute(c, query, args), timeout=timeout)

    def executemany(
        self, command: str, args: Iterable[Sequence[object]], *, timeout: float | None = None
    ) -> None:
        self._run(command, lambda c: on_connection.executemany(c, command, args), timeout=timeout)

    def fetchmany(
        self, query: str, args: Iterable[Sequence[object]], *, timeout: float | None = None
    ) -> list[Row]:
        return self._run(query, lambda c: on_connection.fetchmany(c, query, args), timeout=timeout)

    def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
        timeout: float | None = None,
    ) -> str:
        return self._run(
            copy_label(table_name),
            lambda c: on_connection.copy_records(c, table_name, records, columns, schema_name),
            timeout=timeout,
        )


class SyncPoolExecutor(_Instrumented, _Statements):
    """Runs each statement on a connection from a psycopg pool (autocommit).

    Reads are retried on connection loss with bounded exponential backoff and jitter; a write
    is never retried, and a write whose connection broke raises OutcomeUnknownError.
    """

    def __init__(
        self,
        runtime: Runtime,
        pool: WatchedPool,
        *,
        watchdog: Watchdog | None = None,
        role: str = PRIMARY,
    ) -> None:
        super().__init__(runtime, watchdog)
        self._connections = SyncPooledConnections(runtime, pool, role=role)
        self.role = role

    def _run(
        self,
        sql: str,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        timeout: float | None,
    ) -> T:
        read_only = is_read_only(sql)
        retry: ReadRetry | None = None  # made on the first failure: the happy path needs none
        connections = self._connections
        attempt = 0
        while True:
            attempt += 1
            try:
                # lend/settle, not a context manager: this runs for every statement
                loan = connections.lend()
                try:
                    result = self._timed(
                        sql,
                        loan.connection,
                        operation,
                        outcome_unknown_on_loss=not read_only,
                        timeout=timeout,
                    )
                except BaseException as error:
                    connections.settle(loan, error)
                    raise
                connections.settle(loan, None)
                return result
            except BetdbError as error:
                retry = retry or ReadRetry(self._runtime.settings, read_only=read_only)
                breaker = self._runtime.breaker(self.role)
                delay = retry.delay(error, attempt=attempt, breaker=breaker)
                if delay is None:
                    raise
                logger.info(
                    "retrying %s after %s (attempt %d of %d)",
                    query_name(sql),
                    type(error).__name__,
                    attempt + 1,
                    retry.attempts,
                )
                time.sleep(delay)

    def cursor(self, query: str, *args: object, prefetch: int | None = None) -> Iterator[Row]:
        raise TransactionError(
            "a server-side cursor needs a transaction: use `with db.transaction() as tx`",
            query=query_name(query),
        )

    @contextlib.contextmanager
    def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> Iterator[SyncTransactionExecutor]:
        with self._connections.connection() as connection:
            executor = SyncTransactionExecutor(self._runtime, connection, watchdog=self._watchdog)
            with executor.transaction(
                isolation=isolation, readonly=readonly, deferrable=deferrable
            ) as inner:
                yield inner


class _OnOneConnection(_Statements):
    """Statements on one connection that the caller holds: transactions and streaming."""

    connection: Any

    def is_in_transaction(self) -> bool:
        # pgconn's status, not connection.info's: info builds a ConnectionInfo per call
        status = self.connection.pgconn.transaction_status
        return bool(status != psycopg.pq.TransactionStatus.IDLE)

    def cursor(self, query: str, *args: object, prefetch: int | None = None) -> Iterator[Row]:
        """Rows streamed through a server-side cursor, ``prefetch`` (default 50) at a time."""
        if not self.is_in_transaction():
            raise TransactionError(
                "a server-side cursor needs an open transaction", query=query_name(query)
            )
        return self._stream(query, args, prefetch or 50)

    def _stream(self, query: str, args: Sequence[object], prefetch: int) -> Iterator[Row]:
        name = f"betdb_cursor_{next(_savepoints)}"
        with psycopg.RawServerCursor(self.connection, name) as cursor:
            self._run(query, lambda _: (cursor.execute(query, args or None), None), timeout=None)
            while True:
                rows = self._run(
                    query, lambda _: on_connection.fetch_batch(cursor, prefetch), timeout=None
                )
                yield from rows
                if len(rows) < prefetch:
                    return

    @contextlib.contextmanager
    def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> Iterator[Any]:
        """A transaction, or a savepoint when one is open already. A broken connection during
        COMMIT raises OutcomeUnknownError; during the body, ConnectionLostError (the server
        rolls back what it had)."""
        nested = self.is_in_transaction()
        # psycopg outside autocommit would send a BEGIN of its own before ours (and warn)
        lent = not nested and not self.connection.autocommit
        if lent:
            self.connection.autocommit = True
        try:
            yield from self._transaction(nested, isolation, readonly, deferrable)
        finally:
            if lent:
                # a broken connection keeps autocommit: the body's error is what matters
                with contextlib.suppress(psycopg.Error):
                    self.connection.autocommit = False

    def _transaction(
        self, nested: bool, isolation: str | None, readonly: bool, deferrable: bool
    ) -> Iterator[Any]:
        savepoint = f"betdb_savepoint_{next(_savepoints)}" if nested else None
        begin = f"SAVEPOINT {savepoint}" if savepoint else _begin(isolation, readonly, deferrable)
        self._control(begin, "BEGIN")
        try:
            yield self
        except BaseException as body_error:
            with contextlib.suppress(Exception):
                self._control(
                    f"ROLLBACK TO SAVEPOINT {savepoint}" if savepoint else "ROLLBACK", "ROLLBACK"
                )
            foreign = isinstance(body_error, Exception) and not isinstance(body_error, BetdbError)
            if foreign and is_connection_loss(
                body_error, connection_closed=is_closed(self.connection)
            ):
                raise translate(body_error, connection_closed=True) from body_error
            raise
        # A COMMIT whose connection broke may have applied: translate makes that
        # OutcomeUnknownError.
        self._control(
            f"RELEASE SAVEPOINT {savepoint}" if savepoint else "COMMIT",
            "RELEASE SAVEPOINT" if savepoint else "COMMIT",
            outcome_unknown=not nested,
        )

    def _control(self, statement: str, name: str, *, outcome_unknown: bool = False) -> None:
        with self._control_deadline() as alarm:
            try:
                self.connection.execute(statement)
            except Exception as error:
                raise translate(
                    error,
                    query=name,
                    outcome_unknown=outcome_unknown,
                    connection_closed=is_closed(self.connection),
                    timed_out=alarm.fired,
                ) from error

    def _control_deadline(self) -> contextlib.AbstractContextManager[Any]:
        """How long BEGIN, COMMIT and ROLLBACK may take: unbounded on a bare connection."""
        return contextlib.nullcontext(_NoAlarm)


def _begin(isolation: str | None, readonly: bool, deferrable: bool) -> str:
    words = ["BEGIN"]
    if isolation is not None:
        if isolation not in _ISOLATION:
            raise TransactionError(
                f"unknown isolation level {isolation!r}: one of {', '.join(_ISOLATION)}"
            )
        words.append(f"ISOLATION LEVEL {_ISOLATION[isolation]}")
    if readonly:
        words.append("READ ONLY")
    if deferrable:
        words.append("DEFERRABLE")
    return " ".join(words)


class SyncTransactionExecutor(_Instrumented, _OnOneConnection):
    """Runs statements on one connection inside a transaction; nothing is retried here."""

    def __init__(
        self, runtime: Runtime, connection: Any, *, watchdog: Watchdog | None = None
    ) -> None:
        super().__init__(runtime, watchdog)
        self.connection = connection

    def _control_deadline(self) -> contextlib.AbstractContextManager[Any]:
        # The command timeout bounds a COMMIT held in a partition too, as asyncpg's does.
        limit = self._runtime.settings.command_timeout
        return _deadline(self._watchdog, self.connection, limit)

    def _run(
        self,
        sql: str,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        timeout: float | None,
    ) -> T:
        return self._timed(
            sql,
            self.connection,
            operation,
            outcome_unknown_on_loss=not self.is_in_transaction(),
            timeout=timeout,
        )


class SyncConnectionExecutor(_OnOneConnection):
    """A bare psycopg connection (autocommit, or in a transaction of its own) as a
    SyncExecutor: errors translated, nothing retried, timed or traced."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def _run(
        self,
        sql: str,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        timeout: float | None,
    ) -> T:
        in_transaction = self.is_in_transaction()
        try:
            return operation(self.connection)[0]
        except Exception as error:
            raise translate(
                error,
                query=query_name(sql),
                outcome_unknown=not in_transaction,
                connection_closed=is_closed(self.connection),
            ) from error


class SyncRoutedExecutor(_Statements):
    """Sends reads to a healthy replica within the lag bound, and everything else, or any read
    whose replica fails, to the primary."""

    def __init__(
        self,
        runtime: Runtime,
        primary: SyncPoolExecutor,
        replicas: ReplicaSet[WatchedPool],
        *,
        watchdog: Watchdog | None = None,
    ) -> None:
        self._runtime = runtime
        self._replicas = replicas
        self._watchdog = watchdog
        self.primary = primary

    def _run(
        self,
        sql: str,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        timeout: float | None,
    ) -> T:
        if not is_read_only(sql):
            return self.primary._run(sql, operation, timeout=timeout)
        replica = choose_replica(self._replicas)
        if replica is None or replica.pool is None:
            return self.primary._run(sql, operation, timeout=timeout)
        on_replica = SyncPoolExecutor(
            self._runtime,
            replica.pool,
            watchdog=self._watchdog,
            role=replica_role(replica.name),
        )
        try:
            return on_replica._run(sql, operation, timeout=timeout)
        except (ConnectionLostError, DatabaseUnavailableError) as error:
            self._replicas.mark_down(replica, error)
            logger.info("read %s falls back to the primary", query_name(sql))
            return self.primary._run(sql, operation, timeout=timeout)

    # Only fetch, fetchrow and fetchval may go to a replica, as on the async side.
    def execute(self, query: str, *args: object, timeout: float | None = None) -> str:
        return self.primary.execute(query, *args, timeout=timeout)

    def executemany(
        self, command: str, args: Iterable[Sequence[object]], *, timeout: float | None = None
    ) -> None:
        self.primary.executemany(command, args, timeout=timeout)

    def fetchmany(
        self, query: str, args: Iterable[Sequence[object]], *, timeout: float | None = None
    ) -> list[Row]:
        return self.primary.fetchmany(query, args, timeout=timeout)

    def copy_records_to_table(self, table_name: str, **kw: Any) -> str:
        return self.primary.copy_records_to_table(table_name, **kw)

    def cursor(self, query: str, *args: object, prefetch: int | None = None) -> Iterator[Row]:
        return self.primary.cursor(query, *args, prefetch=prefetch)

    def transaction(self, **kw: Any) -> contextlib.AbstractContextManager[SyncTransactionExecutor]:
        return self.primary.transaction(**kw)

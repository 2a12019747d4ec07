"""SyncUnifiedRepository: every generated SyncQuerier on one sync executor, and transactions
over all of them (the counterpart of ``_repository``).

It takes what a sync caller has: a betdb sync executor (``SyncDatabase`` hands those out), a
bare psycopg Connection, or a psycopg_pool ConnectionPool, as the async repository takes an
asyncpg Connection or Pool.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

from betdb._psycopg_errors import is_closed
from betdb._statements import query_name
from betdb._sync_executor import SyncConnectionExecutor, _Statements
from betdb._sync_protocol import Row, SyncExecutor
from betdb.errors import TransactionError
from betdb.generated import (
    analyses,
    games,
    imports,
    lines,
    odds,
    reports,
    signals,
    splits,
    sportsbooks,
    teams,
)

IsolationLevel = Literal["read_committed", "read_uncommitted", "repeatable_read", "serializable"]
T = TypeVar("T")
_EXECUTOR_METHODS = ("execute", "executemany", "fetch", "fetchrow", "copy_records_to_table")


class SyncPoolConnections(_Statements):
    """A psycopg_pool ConnectionPool as a sync executor: each statement on a connection of its
    own, a transaction on one connection held for the whole block. Errors are translated as on
    a bare connection; nothing is retried (SyncDatabase's executors do that)."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection of the pool in autocommit while lent: a statement commits as it runs
        (a failed COMMIT is translated with it, not raised by the pool afterwards) and a
        transaction is the executor's own BEGIN. Its own mode is given back with it."""
        with self.pool.connection() as connection:
            autocommit = connection.autocommit
            connection.autocommit = True
            try:
                yield connection
            finally:
                status = connection.pgconn.transaction_status  # info builds an object a call
                idle = status == psycopg.pq.TransactionStatus.IDLE
                if idle and not is_closed(connection):  # else the pool discards or resets it
                    connection.autocommit = autocommit

    def _run(
        self,
        sql: str,
        operation: Callable[[Any], tuple[T, int | None]],
        *,
        timeout: float | None,
    ) -> T:
        with self._connection() as connection:
            return SyncConnectionExecutor(connection)._run(sql, operation, timeout=timeout)

    def cursor(self, query: str, *args: object, prefetch: int | None = None) -> Iterator[Row]:
        raise TransactionError(
            "a server-side cursor needs a transaction: use `with repository.transaction() as tx`",
            query=query_name(query),
        )

    @contextlib.contextmanager
    def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> Iterator[SyncConnectionExecutor]:
        with (
            self._connection() as connection,
            SyncConnectionExecutor(connection).transaction(
                isolation=isolation, readonly=readonly, deferrable=deferrable
            ) as bound,
        ):
            yield bound


def _sync_executor_of(executor: object) -> SyncExecutor:
    """What runs the repository's statements: betdb's sync executors themselves, and an adapter
    for the raw psycopg objects (decided once, when the repository is made)."""
    if isinstance(executor, psycopg.Connection):
        return SyncConnectionExecutor(executor)
    if isinstance(executor, ConnectionPool):
        return SyncPoolConnections(executor)
    methods = [getattr(executor, name, None) for name in _EXECUTOR_METHODS]
    if not all(callable(m) and not inspect.iscoroutinefunction(m) for m in methods):
        raise TypeError(
            f"SyncUnifiedRepository cannot run statements on {type(executor).__name__}: give it "
            "a psycopg Connection or psycopg_pool ConnectionPool, or a betdb sync executor "
            "(an asyncpg or async object belongs to UnifiedRepository)"
        )
    return executor  # type: ignore[return-value]


class SyncUnifiedRepository:
    """The sync queries of every area on one executor: a betdb sync executor, a psycopg
    Connection or a psycopg_pool ConnectionPool (its connections set up by the generated
    ``configure_sync_connection``)."""

    def __init__(
        self, executor: SyncExecutor | psycopg.Connection[Any] | ConnectionPool[Any]
    ) -> None:
        bound = _sync_executor_of(executor)
        self.executor: SyncExecutor = bound
        self.teams = teams.SyncQuerier(bound)
        self.sportsbooks = sportsbooks.SyncQuerier(bound)
        self.games = games.SyncQuerier(bound)
        self.odds = odds.SyncQuerier(bound)
        self.splits = splits.SyncQuerier(bound)
        self.analyses = analyses.SyncQuerier(bound)
        self.signals = signals.SyncQuerier(bound)
        self.imports = imports.SyncQuerier(bound)
        self.lines = lines.SyncQuerier(bound)
        self.reports = reports.SyncQuerier(bound)

    @contextlib.contextmanager
    def transaction(
        self,
        *,
        isolation: IsolationLevel | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> Iterator[SyncUnifiedRepository]:
        """This repository bound to one transaction: committed when the block ends, rolled back
        when it raises. Inside another transaction it is a savepoint. On a pool, one connection
        is held for the whole block."""
        opener = getattr(self.executor, "transaction", None)
        if opener is None:
            raise TypeError(
                f"cannot open a transaction on {type(self.executor).__name__}: give the "
                "repository a psycopg Connection or ConnectionPool, or a betdb sync executor"
            )
        with opener(isolation=isolation, readonly=readonly, deferrable=deferrable) as bound:
            yield self if bound is self.executor else SyncUnifiedRepository(bound)

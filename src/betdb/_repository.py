"""UnifiedRepository: every generated querier on one executor, and transactions over all of them.

The queriers hold the operations; this module only puts them side by side and binds them to
one transaction when asked, so that what several queriers write commits or rolls back as one.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Literal, Protocol

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from betdb.generated import (
    Executor,
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


class TransactionalExecutor(Protocol):
    """An executor that opens its own transactions (betdb._executor's), yielding an executor
    bound to the transaction; opened inside one, a savepoint."""

    def transaction(
        self, *, isolation: str | None = ..., readonly: bool = ..., deferrable: bool = ...
    ) -> AbstractAsyncContextManager[Any]: ...


class _ConnectionTransactions:
    """asyncpg's own Connection (or pooled connection) as a TransactionalExecutor."""

    def __init__(self, connection: asyncpg.Connection | PoolConnectionProxy[Any]) -> None:
        self._connection = connection

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> AsyncIterator[Any]:
        nested = self._connection.is_in_transaction()
        async with self._connection.transaction(
            isolation=None if nested else isolation,  # type: ignore[arg-type]  # a savepoint takes no isolation level
            readonly=readonly,
            deferrable=deferrable,
        ):
            yield self._connection


class _PoolTransactions:
    """asyncpg's own Pool as a TransactionalExecutor: one connection held for the block."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> AsyncIterator[Any]:
        async with (
            self._pool.acquire() as connection,
            _ConnectionTransactions(connection).transaction(
                isolation=isolation, readonly=readonly, deferrable=deferrable
            ) as bound,
        ):
            yield bound


class _NoTransactions:
    def __init__(self, executor: object) -> None:
        self._name = type(executor).__name__

    def transaction(self, **kw: Any) -> AbstractAsyncContextManager[Any]:
        raise TypeError(
            f"cannot open a transaction on {self._name}: give the repository "
            "an asyncpg Pool or Connection, or an executor with transaction()"
        )


def _transactions_of(executor: object) -> TransactionalExecutor:
    """Who opens the repository's transactions: betdb's executors themselves, and an adapter
    for the raw asyncpg objects (decided once, when the repository is made)."""
    if isinstance(executor, asyncpg.Pool):
        return _PoolTransactions(executor)
    if isinstance(executor, asyncpg.Connection | PoolConnectionProxy):
        return _ConnectionTransactions(executor)
    if callable(getattr(executor, "transaction", None)):
        return executor  # type: ignore[return-value]
    return _NoTransactions(executor)


class UnifiedRepository:
    """The queries of every area on one executor: an asyncpg Pool or Connection, or an executor
    that wraps one."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self._transactions = _transactions_of(executor)
        self.teams = teams.Querier(executor)
        self.sportsbooks = sportsbooks.Querier(executor)
        self.games = games.Querier(executor)
        self.odds = odds.Querier(executor)
        self.splits = splits.Querier(executor)
        self.analyses = analyses.Querier(executor)
        self.signals = signals.Querier(executor)
        self.imports = imports.Querier(executor)
        self.lines = lines.Querier(executor)
        self.reports = reports.Querier(executor)

    @contextlib.asynccontextmanager
    async def transaction(
        self,
        *,
        isolation: IsolationLevel | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> AsyncIterator[UnifiedRepository]:
        """This repository bound to one transaction: committed when the block ends, rolled back
        when it raises. Inside another transaction it is a savepoint. On a pool, one connection
        is held for the whole block."""
        async with self._transactions.transaction(
            isolation=isolation, readonly=readonly, deferrable=deferrable
        ) as bound:
            yield self if bound is self.executor else UnifiedRepository(bound)

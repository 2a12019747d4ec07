"""UnifiedRepository: every generated querier on one executor, and transactions over all of them.

The queriers hold the operations; this module only puts them side by side and binds them to
one transaction when asked, so that what several queriers write commits or rolls back as one.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Literal, Protocol, runtime_checkable

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


@runtime_checkable
class TransactionalExecutor(Protocol):
    """An executor that opens its own transactions (betdb._executor's), yielding an executor
    bound to the transaction; opened inside one, a savepoint."""

    def transaction(
        self, *, isolation: str | None = ..., readonly: bool = ..., deferrable: bool = ...
    ) -> AbstractAsyncContextManager[Any]: ...


class UnifiedRepository:
    """The queries of every area on one executor: an asyncpg Pool or Connection, or an executor
    that wraps one."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
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
        executor: Any = self.executor
        if isinstance(executor, asyncpg.Pool):
            async with executor.acquire() as connection:
                bound = UnifiedRepository(connection)
                async with bound.transaction(
                    isolation=isolation, readonly=readonly, deferrable=deferrable
                ) as inner:
                    yield inner
        elif isinstance(executor, asyncpg.Connection | PoolConnectionProxy):
            nested = executor.is_in_transaction()
            async with executor.transaction(
                isolation=None if nested else isolation,  # a savepoint takes no isolation level
                readonly=readonly,
                deferrable=deferrable,
            ):
                yield self
        elif isinstance(executor, TransactionalExecutor):
            async with executor.transaction(
                isolation=isolation, readonly=readonly, deferrable=deferrable
            ) as inner:
                yield self if inner is executor else UnifiedRepository(inner)
        else:
            raise TypeError(
                f"cannot open a transaction on {type(executor).__name__}: give the repository "
                "an asyncpg Pool or Connection, or an executor with transaction()"
            )

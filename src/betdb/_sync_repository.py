"""SyncUnifiedRepository: every generated SyncQuerier on one sync executor, and transactions
over all of them (the counterpart of ``_repository``).

The queriers come from ``betdb.generated``: each area's module contributes its ``SyncQuerier``
when the plugin generated one; until then the area's attribute says so when used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any, Literal

import psycopg

from betdb._sync_executor import SyncConnectionExecutor
from betdb._sync_protocol import SyncExecutor
from betdb.generated import (
    analyses,
    games,
    imports,
    odds,
    signals,
    splits,
    sportsbooks,
    teams,
)

IsolationLevel = Literal["read_committed", "read_uncommitted", "repeatable_read", "serializable"]


class MissingSyncQuerier:
    """Stands for an area whose generated module has no SyncQuerier yet."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module.__name__

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"{self._module} has no SyncQuerier: generate the sync queriers (the plugin's "
            f"emit_sync option) to call {name}"
        )


def _sync_querier(module: ModuleType, executor: Any) -> Any:
    querier = getattr(module, "SyncQuerier", None)
    return MissingSyncQuerier(module) if querier is None else querier(executor)


class SyncUnifiedRepository:
    """The sync queries of every area on one executor: a betdb sync executor, or a bare psycopg
    Connection (wrapped in SyncConnectionExecutor)."""

    def __init__(self, executor: SyncExecutor | psycopg.Connection[Any]) -> None:
        bound: Any = (
            SyncConnectionExecutor(executor)
            if isinstance(executor, psycopg.Connection)
            else executor
        )
        self.executor: SyncExecutor = bound
        self.teams = _sync_querier(teams, bound)
        self.sportsbooks = _sync_querier(sportsbooks, bound)
        self.games = _sync_querier(games, bound)
        self.odds = _sync_querier(odds, bound)
        self.splits = _sync_querier(splits, bound)
        self.analyses = _sync_querier(analyses, bound)
        self.signals = _sync_querier(signals, bound)
        self.imports = _sync_querier(imports, bound)

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
                "repository a psycopg Connection or a betdb sync executor"
            )
        with opener(isolation=isolation, readonly=readonly, deferrable=deferrable) as bound:
            yield self if bound is self.executor else SyncUnifiedRepository(bound)

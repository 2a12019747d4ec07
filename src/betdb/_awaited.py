"""Code written once against UnifiedRepository (the importers, the sample loader) run on a
SyncUnifiedRepository: the sync repository behind the async interface, and a driver that runs
the coroutine to its end without an event loop. Each await ends at once, as the statement
under it already ran on psycopg, so nothing is scheduled and nothing of the logic is copied.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from betdb._repository import UnifiedRepository

if TYPE_CHECKING:
    from betdb._sync_repository import SyncUnifiedRepository

P = ParamSpec("P")
T = TypeVar("T")
AREAS = (
    "teams", "sportsbooks", "games", "odds", "splits", "analyses", "signals", "imports",
    "lines", "reports",
)  # fmt: skip


class _AwaitedQuerier:
    """A SyncQuerier whose methods are awaited (iter_ methods are async iterators)."""

    def __init__(self, querier: Any) -> None:
        self._querier = querier

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._querier, name)
        if name.startswith("iter_"):

            async def stream(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
                for row in method(*args, **kwargs):
                    yield row

            return stream

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        return call


class AwaitedExecutor:
    """A sync executor whose statements are awaited (transaction() is the repository's)."""

    def __init__(self, executor: Any) -> None:
        self._executor = executor

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._executor, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        return call


class AwaitedRepository:
    """A SyncUnifiedRepository behind UnifiedRepository's interface, transactions included."""

    def __init__(self, repository: SyncUnifiedRepository) -> None:
        self.sync = repository
        self.executor = AwaitedExecutor(repository.executor)
        for area in AREAS:
            setattr(self, area, _AwaitedQuerier(getattr(repository, area)))

    @contextlib.asynccontextmanager
    async def transaction(self, **options: Any) -> AsyncIterator[AwaitedRepository]:
        with self.sync.transaction(**options) as bound:
            yield self if bound is self.sync else AwaitedRepository(bound)


def run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's value, run without an event loop: it must never wait on anything."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return cast(T, finished.value)
    coroutine.close()
    raise RuntimeError(
        "the function waited on something other than the sync repository's statements "
        "(an event loop's future): run it with `await` on a UnifiedRepository instead"
    )


def run_on_sync_repository(
    function: Callable[Concatenate[UnifiedRepository, P], Coroutine[Any, Any, T]],
    repository: SyncUnifiedRepository,
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """function(repository, ...) of betdb's async library (an importer, load_sample) on a
    SyncUnifiedRepository, returning what it returns:

        report = run_on_sync_repository(import_odds, db.repository(), Path("odds.csv"))
    """
    # The facade has every method UnifiedRepository's code calls, awaited.
    facade = cast(UnifiedRepository, AwaitedRepository(repository))
    return run_to_end(function(facade, *args, **kwargs))

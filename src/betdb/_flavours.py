"""One library function for both repositories: the query runs on the repository it is given
(awaited for a UnifiedRepository, at once for a SyncUnifiedRepository), and what is made of
its rows is the same code for both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from betdb._repository import UnifiedRepository

T = TypeVar("T")


def finish(repository: object, rows: Any, make: Callable[[Any], T]) -> T | Coroutine[Any, Any, T]:
    """make(rows), where rows is what a querier of the repository returned: a coroutine to
    await first when the repository is async, the rows themselves when it is sync."""
    if isinstance(repository, UnifiedRepository):
        return _awaited(rows, make)
    return make(rows)


async def _awaited(rows: Awaitable[Any], make: Callable[[Any], T]) -> T:
    return make(await rows)

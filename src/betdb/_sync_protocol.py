"""The protocol a generated SyncQuerier runs on: the sync mirror of the generated ``Executor``
(``$1`` placeholders, rows as tuples), met by betdb's sync executors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

Row = tuple[Any, ...]


class SyncExecutor(Protocol):
    """What a SyncQuerier runs statements on: the sync mirror of the generated ``Executor``.

    ``$1`` placeholders, rows as tuples; ``timeout`` (seconds) cancels a statement that runs
    longer. ``rows``, a generated ``SyncRows``, sets up the cursor of a list of rows before it
    runs (``prepare``: which enums load as text, what builds each row) and finishes the list
    (``finish``), inside the statement. betdb's sync executors and ``SyncConnectionExecutor``
    (a bare psycopg connection) qualify.
    """

    def execute(self, query: str, *args: object, timeout: float | None = ...) -> str: ...

    def executemany(
        self, command: str, args: Iterable[Sequence[object]], *, timeout: float | None = ...
    ) -> None: ...

    def fetch(
        self, query: str, *args: object, timeout: float | None = ..., rows: Any = ...
    ) -> list[Row]: ...

    def fetchrow(self, query: str, *args: object, timeout: float | None = ...) -> Row | None: ...

    def fetchval(
        self, query: str, *args: object, column: int = ..., timeout: float | None = ...
    ) -> Any: ...

    def fetchmany(
        self, query: str, args: Iterable[Sequence[object]], *, timeout: float | None = ...
    ) -> list[Row]: ...

    def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]],
        columns: Sequence[str] | None = ...,
        schema_name: str | None = ...,
        timeout: float | None = ...,
    ) -> str: ...


@runtime_checkable
class SyncCursorExecutor(Protocol):
    """A sync executor that can stream: one connection that knows whether it is in a
    transaction (server-side cursors need one)."""

    def is_in_transaction(self) -> bool: ...

    def cursor(self, query: str, *args: object, prefetch: int | None = ...) -> Iterator[Row]: ...

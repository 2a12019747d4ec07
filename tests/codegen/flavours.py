"""Both flavours of a generated package on one database, for one test body: the async Querier
on asyncpg, and the SyncQuerier on psycopg checked against it call by call."""

from __future__ import annotations

import contextlib
import sys
import typing
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import asyncpg
import psycopg
import pydantic

FLAVOURS = ["async", "sync"]
_SYNC_USAGE = "Use: with pool.connection() as conn, conn.transaction()"
_ASYNC_USAGE = "Use: async with pool.acquire() as conn, conn.transaction()"


def assert_same(sync_value: Any, async_value: Any, where: str = "value") -> None:
    """Equal and of the same type all the way down (models field by field, and a typed Record
    against the sync flavour's typed tuple row column by column)."""
    if isinstance(async_value, asyncpg.Record) and hasattr(async_value, "to_model"):
        _assert_same_row(sync_value, async_value, where)
        return
    # asyncpg's only foreign class: its C subclass of uuid.UUID (equal, same hash)
    async_type = uuid.UUID if isinstance(async_value, uuid.UUID) else type(async_value)
    sync_type = type(sync_value)
    assert sync_type is async_type, f"{where}: {sync_type} != {async_type}"
    if isinstance(async_value, pydantic.BaseModel):
        for name in type(async_value).model_fields:
            assert_same(getattr(sync_value, name), getattr(async_value, name), f"{where}.{name}")
    elif isinstance(async_value, list | tuple):
        assert len(sync_value) == len(async_value), where
        for i, (s, a) in enumerate(zip(sync_value, async_value, strict=True)):
            assert_same(s, a, f"{where}[{i}]")
    elif isinstance(async_value, dict):
        assert sorted(sync_value) == sorted(async_value), where
        for key in async_value:
            assert_same(sync_value[key], async_value[key], f"{where}[{key!r}]")
    else:
        assert sync_value == async_value, where


def _assert_same_row(sync_row: Any, record: asyncpg.Record, where: str) -> None:
    """A typed asyncpg Record against its sync counterpart, the tuple row class named Sync and
    the record's class name: column by column, the items themselves, and to_model()."""
    record_class = type(record)
    assert type(sync_row).__name__ == f"Sync{record_class.__name__}", f"{where}: {type(sync_row)}"
    assert isinstance(sync_row, tuple), where
    assert sync_row == tuple(record), where  # every item, a batch's index column included
    model = typing.get_type_hints(record_class.to_model)["return"]
    for name in model.model_fields:
        assert_same(*_column(sync_row, record, name), f"{where}.{name}")
    assert_same(*_column(sync_row, record, "to_model"), f"{where}.to_model()")


def _column(sync_row: Any, record: asyncpg.Record, name: str) -> tuple[Any, Any]:
    """Both rows' property `name` (a call, for to_model), or what it raised on each side: a
    validated override checks the stored value on read, and both must refuse it alike."""
    values = []
    for row in (sync_row, record):
        try:
            value = getattr(row, name)
            values.append(value() if name == "to_model" else value)
        except pydantic.ValidationError as error:
            values.append(("raised", type(error).__name__, error.error_count(), str(error)))
    return values[0], values[1]


def _reads_only(module: ModuleType, method: str) -> bool:
    """Whether a method's SQL is a SELECT (so asking it twice changes nothing)."""
    sql = getattr(module, method.removeprefix("iter_").rstrip("_").upper())
    return bool(sql.split("\n", 1)[1].lstrip().upper().startswith("SELECT"))


class CrossChecked:
    """A SyncQuerier behind the Querier's async interface, so one test body runs both flavours.

    Every read it answers is asked of the async Querier as well and must decode the same, type
    included; what it refuses (arguments, a missing transaction, a row failing its override)
    the async Querier must refuse with the same class and message. Writes run once, on sync.
    """

    def __init__(
        self, sync_querier: Any, async_querier: Any, *, unchecked: frozenset[str] = frozenset()
    ) -> None:
        self._sync = sync_querier
        self._async = async_querier
        self._module = sys.modules[type(sync_querier).__module__]
        self._package = sys.modules[self._module.__name__.rpartition(".")[0]]
        self._unchecked = unchecked

    def _checked(self, name: str) -> bool:
        return name not in self._unchecked and _reads_only(self._module, name)

    async def _refused_alike(self, refused: Exception, asked: Awaitable[Any], where: str) -> None:
        try:
            await asked
        except Exception as error:
            also = error
        else:
            raise AssertionError(f"{where}: the async side took what sync refused: {refused!r}")
        assert type(also) is type(refused), f"{where}: {also!r} != {refused!r}"
        # by design a message names the executor it was given, and its flavour's idiom
        given = getattr(self._sync._conn, "wrapped", self._sync._conn)  # psycopg's own object
        expected = (
            str(refused)
            .replace(type(given).__name__, type(self._async._conn).__name__)
            .replace(_SYNC_USAGE, _ASYNC_USAGE)
        )
        assert str(also) == expected, where

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("iter_"):
            return self._stream(name)
        method = getattr(self._sync, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            asked = getattr(self._async, name)
            try:
                value = method(*args, **kwargs)
            except Exception as refused:
                if self._checked(name) or isinstance(refused, self._package.InvalidArgumentsError):
                    await self._refused_alike(refused, asked(*args, **kwargs), name)
                raise
            if self._checked(name):
                assert_same(value, await asked(*args, **kwargs), name)
            return value

        return call

    def _stream(self, name: str) -> Callable[..., Any]:
        method = getattr(self._sync, name)

        async def stream(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            unstreamed = {k: v for k, v in kwargs.items() if k != "prefetch"}
            whole = getattr(self._async, name.removeprefix("iter_"))
            rows = method(*args, **kwargs)
            streamed = []
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except Exception as refused:
                    if isinstance(refused, self._package.TransactionRequiredError):
                        asked = _drain(self._async, name, args, kwargs)
                        await self._refused_alike(refused, asked, name)
                    elif isinstance(refused, self._package.InvalidArgumentsError):
                        await self._refused_alike(refused, whole(*args, **unstreamed), name)
                    raise
                streamed.append(row)
                yield row
            assert_same(streamed, await whole(*args, **unstreamed), name)

        return stream


async def _drain(querier: Any, name: str, args: Any, kwargs: Any) -> list[Any]:
    return [row async for row in getattr(querier, name)(*args, **kwargs)]


@dataclass
class Flavour:
    """One flavour of a case's package for one test, on the case's database.

    ``conn`` is the asyncpg connection in both flavours: the async Querier's own, and the
    one a test looks behind the querier's back with.
    """

    name: str
    package: ModuleType
    conn: asyncpg.Connection
    sync_conn: psycopg.Connection[Any] | None = None
    unchecked: frozenset[str] = field(default_factory=frozenset)

    @property
    def query(self) -> ModuleType:
        return self.package.query  # type: ignore[no-any-return]

    def bind(self, sync_executor: Any) -> Any:
        return CrossChecked(
            self.query.SyncQuerier(sync_executor),
            self.query.Querier(self.conn),
            unchecked=self.unchecked,
        )

    @property
    def querier(self) -> Any:
        if self.sync_conn is None:
            return self.query.Querier(self.conn)
        return self.bind(self.sync_conn)

    @property
    def sync_querier(self) -> Any:
        """The bare SyncQuerier, for what the async side does differently by design."""
        assert self.sync_conn is not None, "the sync flavour's"
        return self.query.SyncQuerier(self.sync_conn)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        """The flavour's querier bound to one transaction on its connection."""
        if self.sync_conn is None:
            async with self.conn.transaction():
                yield self.query.Querier(self.conn)
            return
        with self.sync_conn.transaction():
            yield self.bind(self.sync_conn)


@contextlib.asynccontextmanager
async def open_flavour(
    name: str, package: ModuleType, conn: asyncpg.Connection, dsn: str, **kw: Any
) -> AsyncIterator[Flavour]:
    """The flavour on a case's database; the sync one gets a psycopg connection (autocommit)
    configured by the package, beside the asyncpg connection it is checked against."""
    if name == "async":
        yield Flavour(name, package, conn, **kw)
        return
    with psycopg.connect(dsn, autocommit=True) as sync_conn:
        package.configure_sync_connection(sync_conn)
        yield Flavour(name, package, conn, sync_conn, **kw)

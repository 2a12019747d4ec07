"""The repository under test on this test's own migrated database, in both flavours, and
builders for its inputs.

`repo` is the async UnifiedRepository on asyncpg, then the SyncUnifiedRepository on psycopg
behind the same awaitable interface, so one test body runs both. On the sync side every read
made outside a transaction runs on the async repository too, over the same rows, and the two
values must be the same, type included: what a test asserts of one flavour holds of the other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import typing
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from typing import Any

import asyncpg
import psycopg
import pydantic
import pytest
from psycopg_pool import ConnectionPool

import betdb.errors
from betdb import SyncUnifiedRepository, UnifiedRepository
from betdb._awaited import AREAS, AwaitedExecutor
from betdb._statements import is_read_only
from betdb.generated import configure_sync_connection, init_connection
from betdb.generated.games import UpsertGameParams
from betdb.generated.models import DataQuality, DataSource, GameStatus, GameType, SeasonType
from betdb.generated.odds import IngestOddsParams

UTC = dt.UTC


def assert_same(sync_value: Any, async_value: Any, where: str = "value") -> None:
    """Equal and of the same type all the way down (models field by field, and a typed Record
    against the sync flavour's typed tuple row column by column)."""
    if isinstance(async_value, asyncpg.Record) and hasattr(async_value, "to_model"):
        _assert_same_row(sync_value, async_value, where)
        return
    # asyncpg's only foreign class: its C subclass of uuid.UUID (equal, same hash)
    async_type = uuid.UUID if isinstance(async_value, uuid.UUID) else type(async_value)
    assert type(sync_value) is async_type, f"{where}: {type(sync_value)} != {async_type}"
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
    """A typed asyncpg Record (row_type: record) against its sync counterpart, the tuple row
    class named Sync and the record's class name: items, columns and to_model() alike."""
    record_class = type(record)
    assert type(sync_row).__name__ == f"Sync{record_class.__name__}", f"{where}: {type(sync_row)}"
    assert isinstance(sync_row, tuple), where
    assert sync_row == tuple(record), where
    model = typing.get_type_hints(record_class.to_model)["return"]
    for name in model.model_fields:
        assert_same(getattr(sync_row, name), getattr(record, name), f"{where}.{name}")
    assert_same(sync_row.to_model(), record.to_model(), f"{where}.to_model()")


class CrossChecked:
    """A SyncQuerier behind the Querier's async interface: each method runs synchronously and
    its result is awaited (iter_ methods become async iterators). A read, when its repository
    may cross-check, also runs on the async querier and must give the same value."""

    def __init__(self, repository: AwaitedSyncRepository, area: str) -> None:
        self._repository = repository
        self._sync = getattr(repository.sync, area)
        self._twin = getattr(repository.twin, area) if repository.twin else None
        self._module = sys.modules[type(self._sync).__module__]

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._sync, name)
        if name.startswith("iter_"):

            async def stream(*args: Any, **kwargs: Any) -> Any:
                for item in method(*args, **kwargs):
                    yield item

            return stream
        sql = getattr(self._module, name.upper(), None)
        reads = isinstance(sql, str) and is_read_only(sql)

        async def call(*args: Any, **kwargs: Any) -> Any:
            value = method(*args, **kwargs)
            if reads and self._twin is not None and self._repository.may_cross_check():
                twin_value = await getattr(self._twin, name)(*args, **kwargs)
                assert_same(value, twin_value, f"{name}()")
            return value

        return call


class AwaitedSyncRepository:
    """A SyncUnifiedRepository behind UnifiedRepository's async interface, transactions
    included. twin: the async repository on the same database, for the cross-checks."""

    def __init__(self, sync: SyncUnifiedRepository, twin: UnifiedRepository | None) -> None:
        self.sync = sync
        self.twin = twin
        self.executor = AwaitedExecutor(sync.executor)
        for area in AREAS:
            setattr(self, area, CrossChecked(self, area))

    def may_cross_check(self) -> bool:
        """Outside a transaction only: the async side cannot see what one has not committed."""
        in_transaction = getattr(self.sync.executor, "is_in_transaction", None)
        return self.twin is not None and not (in_transaction and in_transaction())

    @contextlib.asynccontextmanager
    async def transaction(self, **options: Any) -> AsyncIterator[Any]:
        with self.sync.transaction(**options) as bound:
            yield self if bound is self.sync else AwaitedSyncRepository(bound, None)


async def through(function: Callable[..., Any], repo: Any, *args: Any, **kwargs: Any) -> Any:
    """A library function of both flavours (betdb.movement, betdb.reports) on the repository
    under test; on the sync side, checked against what it gives on the async side."""
    # betdb's class, not this module's: the PgBouncer run imports this module a second time
    if isinstance(repo, UnifiedRepository):
        return await function(repo, *args, **kwargs)
    value = function(repo.sync, *args, **kwargs)
    if repo.may_cross_check():
        assert_same(value, await function(repo.twin, *args, **kwargs), function.__name__)
    return value


# What the server's refusal is raised as from the sync side: betdb's own class, by SQLSTATE.
SYNC_ERRORS: dict[type[asyncpg.PostgresError], type[betdb.errors.BetdbError]] = {
    asyncpg.CheckViolationError: betdb.errors.CheckViolationError,
    asyncpg.UniqueViolationError: betdb.errors.UniqueViolationError,
    asyncpg.ReadOnlySQLTransactionError: betdb.errors.QueryError,
}


@contextlib.contextmanager
def refused(
    repo: Any, error: type[asyncpg.PostgresError], match: str | None = None
) -> Iterator[None]:
    """The server refuses a statement: asyncpg's own error from a bare asyncpg connection,
    betdb's translation of it from the sync side, with the same SQLSTATE."""
    expected = error if isinstance(repo, UnifiedRepository) else SYNC_ERRORS[error]
    with pytest.raises(expected, match=match) as caught:
        yield
    assert caught.value.sqlstate == error.sqlstate


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
def psycopg_options() -> dict[str, Any]:
    """What the tests' psycopg connections are opened with beyond autocommit (none: psycopg's
    defaults, as a user has them; the PgBouncer run turns prepared statements off)."""
    return {}


@pytest.fixture
def sync_connection(
    database_url: str, psycopg_options: dict[str, Any]
) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True, **psycopg_options) as conn:
        configure_sync_connection(conn)
        yield conn


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(
        database_url, min_size=1, max_size=4, init=init_connection
    ) as pool:
        yield pool


@pytest.fixture(params=["async", "sync"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def repo(
    flavour: str,
    connection: asyncpg.Connection,
    database_url: str,
    psycopg_options: dict[str, Any],
) -> Iterator[Any]:
    """UnifiedRepository on an asyncpg connection, then SyncUnifiedRepository on a psycopg one
    (autocommit) behind the async interface."""
    async_repo = UnifiedRepository(connection)
    if flavour == "async":
        yield async_repo
        return
    with psycopg.connect(database_url, autocommit=True, **psycopg_options) as conn:
        configure_sync_connection(conn)
        yield AwaitedSyncRepository(SyncUnifiedRepository(conn), async_repo)


@pytest.fixture
async def pooled_repo(
    flavour: str, pool: asyncpg.Pool, database_url: str, psycopg_options: dict[str, Any]
) -> AsyncIterator[Any]:
    """The repository on a pool: asyncpg's, then psycopg_pool's (its connections as they come,
    not autocommit, set up by configure_sync_connection)."""
    async_repo = UnifiedRepository(pool)
    if flavour == "async":
        yield async_repo
        return
    with ConnectionPool(
        database_url,
        min_size=1,
        max_size=4,
        kwargs=psycopg_options,
        configure=configure_sync_connection,
        open=True,
    ) as sync_pool:
        yield AwaitedSyncRepository(SyncUnifiedRepository(sync_pool), async_repo)


def game(**changes: Any) -> UpsertGameParams:
    """A Yankees home game against the Red Sox from the MLB Stats API, with changes."""
    fields: dict[str, Any] = {
        "mlb_game_pk": 776001,
        "sbr_game_id": None,
        "action_network_game_id": None,
        "official_date": dt.date(2026, 6, 12),
        "game_number": 1,
        "first_pitch_at": dt.datetime(2026, 6, 12, 23, 5, tzinfo=UTC),
        "season": 2026,
        "season_type": SeasonType.REGULAR,
        "game_type": GameType.REGULAR,
        "status": GameStatus.SCHEDULED,
        "home_score": None,
        "away_score": None,
        "venue": {"id": 3313, "name": "Yankee Stadium"},
        "weather": None,
        "probable_pitchers": None,
        "source": DataSource.MLB,
        "source_url": "https://statsapi.mlb.com/api/v1.1/game/776001/feed/live",
        "source_updated_at": None,
        "data_quality": DataQuality.HIGH,
        "home_team": "NYY",
        "away_team": "BOS",
    }
    fields.update(changes)
    return UpsertGameParams(**fields)


def quote(game_id: int, sportsbook_id: int, **changes: Any) -> IngestOddsParams:
    """A moneyline price of the home side, observed at noon UTC on 12 June 2026, with changes."""
    fields: dict[str, Any] = {
        "game_id": game_id,
        "sportsbook_id": sportsbook_id,
        "market": "moneyline",
        "side": "home",
        "line": None,
        "price": -110,
        "observed_at": dt.datetime(2026, 6, 12, 12, 0, tzinfo=UTC),
        "is_opening": False,
        "is_closing": False,
        "bet_limit": None,
        "source": DataSource.SBR,
    }
    fields.update(changes)
    if isinstance(fields["line"], str):
        fields["line"] = Decimal(fields["line"])
    return IngestOddsParams(**fields)


async def book_id(repo: Any, key: str) -> int:
    book = await repo.sportsbooks.get_sportsbook_by_key(key=key)
    assert book is not None
    return book.sportsbook_id


async def count(connection: asyncpg.Connection, table: str) -> int:
    value = await connection.fetchval(f"SELECT count(*) FROM {table}")
    assert isinstance(value, int)
    return value

"""UnifiedRepository and SyncUnifiedRepository: the queriers side by side, and transactions that
span them, on a connection and on a pool."""

from __future__ import annotations

from typing import Any

import asyncpg
import psycopg
import psycopg_pool
import pytest
from psycopg_pool import ConnectionPool

import betdb.errors
from betdb import SyncUnifiedRepository, UnifiedRepository
from betdb.generated import TransactionRequiredError, configure_sync_connection, games, odds

from .conftest import AREAS, book_id, count, game, quote, refused


class AbandonedError(Exception):
    """Raised inside a transaction block to abandon it."""


def test_both_facades_expose_one_querier_per_area_with_the_same_methods(
    connection: asyncpg.Connection, sync_connection: psycopg.Connection[Any]
) -> None:
    async_repo = UnifiedRepository(connection)
    sync_repo = SyncUnifiedRepository(sync_connection)
    assert isinstance(async_repo.games, games.Querier)
    assert isinstance(sync_repo.odds, odds.SyncQuerier)
    areas = set(vars(async_repo)) - {"executor", "_transactions"}
    assert "odds" in areas
    assert areas == set(AREAS)  # what betdb._awaited puts behind the async interface
    assert set(vars(sync_repo)) - {"executor"} == areas
    for area in AREAS:
        querier, sync_querier = getattr(async_repo, area), getattr(sync_repo, area)
        assert type(querier).__module__ == type(sync_querier).__module__
        assert (type(querier).__name__, type(sync_querier).__name__) == ("Querier", "SyncQuerier")
        methods = {name for name in dir(querier) if not name.startswith("_")}
        assert methods == {name for name in dir(sync_querier) if not name.startswith("_")}, area
        assert methods


async def test_a_transaction_on_a_pool_commits_what_every_querier_wrote(
    pooled_repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    repo = pooled_repo
    async with repo.transaction() as tx:
        created = await tx.games.upsert_game(game())
        assert created is not None
        await tx.odds.ingest_odds([quote(created.game_id, await book_id(tx, "draftkings"))])
        # uncommitted: another connection does not see it yet
        assert await count(connection, "games") == 0
    assert await count(connection, "games") == 1
    assert await count(connection, "odds") == 1


async def test_an_exception_rolls_back_everything_and_leaves_nothing_behind(
    pooled_repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    repo = pooled_repo

    async def write_then_fail() -> None:
        async with repo.transaction() as tx:
            created = await tx.games.upsert_game(game())
            assert created is not None
            await tx.odds.ingest_odds([quote(created.game_id, await book_id(tx, "fanduel"))])
            raise AbandonedError

    with pytest.raises(AbandonedError):
        await write_then_fail()
    assert await count(connection, "games") == 0
    assert await count(connection, "odds") == 0
    # the pool got its connection back in a usable state
    assert await repo.games.list_games(skip=0, max_results=10) == []


async def test_a_failing_statement_rolls_back_the_statements_before_it(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:

    async def write_twice() -> None:
        async with repo.transaction() as tx:
            await tx.games.upsert_game(game())
            await tx.games.upsert_game(game(mlb_game_pk=2, home_team="LAD", away_team="LAD"))

    with refused(repo, asyncpg.CheckViolationError, match="games_teams_differ"):
        await write_twice()
    assert await count(connection, "games") == 0


async def test_a_nested_block_is_a_savepoint(
    pooled_repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    repo = pooled_repo

    async def abandoned(tx: UnifiedRepository) -> None:
        async with tx.transaction() as inner:
            await inner.games.upsert_game(game(mlb_game_pk=2, home_team="LAD", away_team="SF"))
            raise AbandonedError

    async with repo.transaction() as tx:
        kept = await tx.games.upsert_game(game(mlb_game_pk=1))
        with pytest.raises(AbandonedError):
            await abandoned(tx)
        async with tx.transaction() as inner:
            await inner.games.upsert_game(game(mlb_game_pk=3, home_team="HOU", away_team="SEA"))
    assert kept is not None
    pks = await connection.fetch("SELECT mlb_game_pk FROM games ORDER BY mlb_game_pk")
    assert [r["mlb_game_pk"] for r in pks] == [1, 3]


async def test_a_transaction_on_a_connection_binds_to_that_connection(
    repo: UnifiedRepository, db_connection: asyncpg.Connection
) -> None:
    other = db_connection  # a connection of its own, not the repository's
    async with repo.transaction(isolation="serializable") as tx:
        assert tx.executor is repo.executor
        await tx.games.upsert_game(game())
        assert await count(other, "games") == 0
        level = await repo.executor.fetchrow("SHOW transaction_isolation")  # type: ignore[attr-defined]
        assert level is not None
        assert level[0] == "serializable"
    assert await count(other, "games") == 1


async def test_a_read_only_transaction_refuses_writes(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    with refused(repo, asyncpg.ReadOnlySQLTransactionError, match="read-only transaction"):
        async with repo.transaction(readonly=True) as tx:
            await tx.games.upsert_game(game())
    assert await count(connection, "games") == 0


async def test_streaming_on_a_pool_needs_a_transaction_and_yields_what_the_list_does(
    pooled_repo: UnifiedRepository,
) -> None:
    with pytest.raises(TransactionRequiredError, match="iter_list_teams"):
        async for _ in pooled_repo.teams.iter_list_teams():
            pass
    async with pooled_repo.transaction(readonly=True) as tx:
        streamed = [team async for team in tx.teams.iter_list_teams(prefetch=7)]
    assert len(streamed) == 30
    assert streamed == await pooled_repo.teams.list_teams()


async def test_a_sync_repository_on_a_pool_commits_each_statement_and_gives_back_its_connections(
    database_url: str, connection: asyncpg.Connection, psycopg_options: dict[str, Any]
) -> None:
    with ConnectionPool(
        database_url,
        min_size=1,
        max_size=1,
        kwargs=psycopg_options,
        configure=configure_sync_connection,
        open=True,
    ) as pool:
        repository = SyncUnifiedRepository(pool)
        created = repository.games.upsert_game(game())
        assert created is not None
        assert await count(connection, "games") == 1  # committed as it ran
        with pytest.raises(betdb.errors.CheckViolationError, match="games_teams_differ"):
            repository.games.upsert_game(game(mlb_game_pk=2, home_team="LAD", away_team="LAD"))
        with repository.transaction(isolation="repeatable_read") as tx:
            level = tx.executor.fetchval("SHOW transaction_isolation")
        assert level == "repeatable read"
        with pool.connection() as lent:  # the pool's one connection, in its own mode again
            assert lent.autocommit is False
            assert lent.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert await count(connection, "games") == 1


@pytest.mark.parametrize("given", ["postgresql://localhost/betdb", "async", "async pool"])
async def test_a_sync_repository_refuses_what_cannot_run_its_statements_naming_it(
    given: str, connection: asyncpg.Connection, database_url: str
) -> None:
    executor: object = {"async": connection}.get(given, given)
    if given == "async pool":
        executor = psycopg_pool.AsyncConnectionPool(database_url, open=False)
    with pytest.raises(TypeError, match=f"cannot run statements on {type(executor).__name__}"):
        SyncUnifiedRepository(executor)  # type: ignore[arg-type]

"""UnifiedRepository: the queriers side by side, and transactions that span them."""

from __future__ import annotations

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import games, odds

from .conftest import book_id, count, game, quote


class AbandonedError(Exception):
    """Raised inside a transaction block to abandon it."""


def test_the_facade_exposes_one_querier_per_area(connection: asyncpg.Connection) -> None:
    repo = UnifiedRepository(connection)
    assert isinstance(repo.games, games.Querier)
    assert isinstance(repo.odds, odds.Querier)
    assert {"teams", "sportsbooks", "games", "odds", "splits", "analyses", "signals"} <= set(
        vars(repo)
    )


async def test_a_transaction_on_a_pool_commits_what_every_querier_wrote(
    pool: asyncpg.Pool, connection: asyncpg.Connection
) -> None:
    repo = UnifiedRepository(pool)
    async with repo.transaction() as tx:
        created = await tx.games.upsert_game(game())
        assert created is not None
        await tx.odds.ingest_odds([quote(created.game_id, await book_id(tx, "draftkings"))])
        # uncommitted: another connection does not see it yet
        assert await count(connection, "games") == 0
    assert await count(connection, "games") == 1
    assert await count(connection, "odds") == 1


async def test_an_exception_rolls_back_everything_and_leaves_nothing_behind(
    pool: asyncpg.Pool, connection: asyncpg.Connection
) -> None:
    repo = UnifiedRepository(pool)

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

    with pytest.raises(asyncpg.CheckViolationError):
        await write_twice()
    assert await count(connection, "games") == 0


async def test_a_nested_block_is_a_savepoint(
    pool: asyncpg.Pool, connection: asyncpg.Connection
) -> None:
    repo = UnifiedRepository(pool)

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
    repo: UnifiedRepository, database_url: str
) -> None:
    other = await asyncpg.connect(database_url)
    try:
        async with repo.transaction(isolation="serializable") as tx:
            assert tx.executor is repo.executor
            await tx.games.upsert_game(game())
            assert await count(other, "games") == 0
            level = await repo.executor.fetchrow("SHOW transaction_isolation")  # type: ignore[attr-defined]
            assert level is not None
            assert level[0] == "serializable"
        assert await count(other, "games") == 1
    finally:
        await other.close()


async def test_a_read_only_transaction_refuses_writes(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        async with repo.transaction(readonly=True) as tx:
            await tx.games.upsert_game(game())
    assert await count(connection, "games") == 0

"""The sync repository (generated SyncQueriers on psycopg) against the async one on the same
migrated database: what one flavour writes the other reads, and every value either decodes
is equal to the other's, type included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import asyncpg
import psycopg
import pytest

import betdb.errors
from betdb import SyncUnifiedRepository, UnifiedRepository
from betdb.generated import TransactionRequiredError
from betdb.generated.models import Market, Odds, Side
from betdb.generated.odds import (
    CopyOddsParams,
    GetLineMovementParams,
    SyncOddsRecord,
)

from .conftest import assert_same, book_id, game, quote

FIRST_PITCH = dt.datetime(2026, 6, 12, 23, 5, tzinfo=dt.UTC)


@pytest.fixture
def async_repo(connection: asyncpg.Connection) -> UnifiedRepository:
    return UnifiedRepository(connection)


@pytest.fixture
def sync_repo(sync_connection: psycopg.Connection[Any]) -> SyncUnifiedRepository:
    return SyncUnifiedRepository(sync_connection)


async def test_teams_and_books_read_the_same_by_both_flavours(
    async_repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    teams = sync_repo.teams.list_teams()
    assert len(teams) == 30
    assert_same(teams, await async_repo.teams.list_teams())
    assert_same(
        sync_repo.sportsbooks.get_sportsbook_by_key(key="draftkings"),
        await async_repo.sportsbooks.get_sportsbook_by_key(key="draftkings"),
    )


async def test_a_game_written_by_the_sync_side_reads_the_same_on_both(
    async_repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    written = sync_repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert written is not None
    assert written.venue == {"id": 3313, "name": "Yankee Stadium"}
    assert written.first_pitch_at == FIRST_PITCH
    assert written.first_pitch_at is not None
    assert written.first_pitch_at.tzinfo is not None
    read = await async_repo.games.get_game(game_id=written.game_id)
    assert_same(written, read)
    assert_same(sync_repo.games.get_game(game_id=written.game_id), read)


async def test_odds_copied_ingested_and_read_back_agree_across_flavours(
    async_repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    created = await async_repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert created is not None
    game_id = created.game_id
    dk = await book_id(async_repo, "draftkings")
    at = dt.datetime(2026, 6, 12, 12, 0, tzinfo=dt.UTC)
    copied = sync_repo.odds.copy_odds(
        [
            CopyOddsParams(**quote(game_id, dk, price=-120, observed_at=at).model_dump()),
            CopyOddsParams(**quote(game_id, dk, side="away", price=110).model_dump()),
        ]
    )
    assert copied == 2
    later = at + dt.timedelta(hours=1)
    batch = [quote(game_id, dk, price=-130, observed_at=later)]
    sync_repo.odds.ingest_odds(batch)
    sync_repo.odds.ingest_odds(batch)  # idempotent on the sync side as on the async side
    # FindOddsByGame has record rows: the sync side gives typed tuple rows of the same columns
    records = await async_repo.odds.find_odds_by_game(
        game_id=game_id, market=None, sportsbook_id=None
    )
    rows = sync_repo.odds.find_odds_by_game(game_id=game_id, market=None, sportsbook_id=None)
    assert len(rows) == 3
    assert all(type(row) is SyncOddsRecord for row in rows)
    assert rows[0].market is Market.MONEYLINE
    assert rows[0].price == -120
    assert rows == records  # tuples of the same items as the Records
    assert_same(rows, records)
    assert_same([row.to_model() for row in rows], [record.to_model() for record in records])
    assert all(isinstance(row.to_model(), Odds) for row in rows)
    movement = GetLineMovementParams(
        game_id=game_id,
        market=Market.MONEYLINE,
        sportsbook_id=dk,
        observed_from=at - dt.timedelta(days=1),
        observed_until=at + dt.timedelta(days=1),
    )
    assert_same(
        sync_repo.odds.get_line_movement(movement),
        await async_repo.odds.get_line_movement(movement),
    )
    consensus = sync_repo.odds.get_consensus_odds(
        game_id=game_id, market=Market.MONEYLINE, at=later
    )
    assert {row.side for row in consensus} == {Side.HOME, Side.AWAY}
    assert {row.median_price for row in consensus} == {-130, 110}
    assert isinstance(consensus[0].median_decimal_price, Decimal)
    assert_same(
        consensus,
        await async_repo.odds.get_consensus_odds(
            game_id=game_id, market=Market.MONEYLINE, at=later
        ),
    )


async def test_a_bad_price_is_refused_by_the_same_validation_before_any_sql(
    async_repo: UnifiedRepository,
    sync_repo: SyncUnifiedRepository,
    connection: asyncpg.Connection,
) -> None:
    created = await async_repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert created is not None
    dk = await book_id(async_repo, "draftkings")
    values = (created.game_id, dk, Market.MONEYLINE, Side.HOME, None, -50, FIRST_PITCH)
    values += (False, False, None, "sbr")
    with pytest.raises(betdb.errors.ValidationError, match="American odds") as sync_error:
        sync_repo.odds.ingest_odds([values])  # type: ignore[list-item]
    with pytest.raises(betdb.errors.ValidationError, match="American odds") as async_error:
        await async_repo.odds.ingest_odds([values])  # type: ignore[list-item]
    assert str(sync_error.value) == str(async_error.value)
    assert await connection.fetchval("SELECT count(*) FROM odds") == 0


async def test_streaming_needs_a_transaction_and_yields_what_the_list_does(
    async_repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    with pytest.raises(TransactionRequiredError, match="iter_list_teams"):
        next(iter(sync_repo.teams.iter_list_teams()))
    with sync_repo.transaction() as tx:
        streamed = list(tx.teams.iter_list_teams(prefetch=7))
    assert_same(streamed, await async_repo.teams.list_teams())
